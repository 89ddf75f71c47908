import { describeNonPublicAddress } from './resolveAllowedAddress';

describe('describeNonPublicAddress', () => {
  it.each([
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['10.1.2.3', 'a private address'],
    ['100.64.0.1', 'a private address'],
    ['100.127.255.255', 'a private address'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['169.254.169.254', 'a link-local address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.0.0.8', 'a special-purpose address'],
    ['192.0.2.1', 'a documentation address'],
    ['192.31.196.1', 'a special-purpose address'],
    ['192.52.193.1', 'a special-purpose address'],
    ['192.88.99.1', 'a special-purpose address'],
    ['192.168.1.1', 'a private address'],
    ['192.175.48.1', 'a special-purpose address'],
    ['198.18.0.1', 'a benchmarking address'],
    ['198.19.255.255', 'a benchmarking address'],
    ['198.51.100.1', 'a documentation address'],
    ['203.0.113.1', 'a documentation address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['240.0.0.1', 'a reserved address'],
    ['255.255.255.255', 'a broadcast address'],
  ])("describes the IPv4 address '%s' as %s", (address, description) => {
    expect(describeNonPublicAddress(address)).toBe(description);
  });

  it.each([
    ['::', 'an unspecified address'],
    ['::1', 'a loopback address'],
    ['100::1', 'a discard-only address'],
    ['2001:2::1', 'a special-purpose address'],
    ['2001:1ff:ffff::1', 'a special-purpose address'],
    ['2001:db8::1', 'a documentation address'],
    ['3fff::1', 'a documentation address'],
    ['3fff:fff::1', 'a documentation address'],
    ['5f00::1', 'a segment-routing address'],
    ['fc00::1', 'a private address'],
    ['fd12:3456::1', 'a private address'],
    ['fe80::1', 'a link-local address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['fec0::1', 'a site-local address'],
    ['ff02::1', 'a multicast address'],
    ['64:ff9b:1::8.8.8.8', 'a local-use NAT64 address'],
  ])("describes the IPv6 address '%s' as %s", (address, description) => {
    expect(describeNonPublicAddress(address)).toBe(description);
  });

  it.each([
    ['::ffff:127.0.0.1', 'an IPv4-mapped address of a loopback address'],
    ['::ffff:a00:1', 'an IPv4-mapped address of a private address'],
    ['::10.0.0.1', 'an IPv4-compatible address of a private address'],
    ['::7f00:1', 'an IPv4-compatible address of a loopback address'],
    ['64:ff9b::10.0.0.1', 'a NAT64 address of a private address'],
    ['64:ff9b::a9fe:a9fe', 'a NAT64 address of a link-local address'],
    ['2002:a00:1::1', 'a 6to4 address of a private address'],
    ['2002:7f00:1::', 'a 6to4 address of a loopback address'],
    // Server 10.0.0.1.
    ['2001:0:a00:1::1', 'a Teredo address of a private address'],
    // Server 65.54.227.120, client 192.168.1.1 (stored inverted).
    [
      '2001:0:4136:e378:8000:63bf:3f57:fefe',
      'a Teredo address of a private address',
    ],
    // Server 65.54.227.120, client 8.8.8.8: both public.
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'a Teredo address'],
  ])(
    "describes '%s' by the IPv4 address it embeds, as %s",
    (address, description) => {
      expect(describeNonPublicAddress(address)).toBe(description);
    },
  );

  it('describes anything but an IP address as invalid', () => {
    expect(describeNonPublicAddress('not-an-ip')).toBe('an invalid address');
  });

  it.each([
    ['93.184.216.34'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['192.0.3.1'],
    ['198.20.0.1'],
    ['8.8.8.8'],
    ['2606:4700::1111'],
    ['2001:200::1'],
    ['3fff:1000::1'],
    ['::ffff:8.8.8.8'],
    ['::8.8.8.8'],
    ['64:ff9b::8.8.8.8'],
    ['2002:808:808::1'],
  ])("finds '%s' public", address => {
    expect(describeNonPublicAddress(address)).toBeUndefined();
  });
});
