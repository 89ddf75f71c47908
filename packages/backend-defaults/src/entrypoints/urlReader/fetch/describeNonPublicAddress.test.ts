import { describeNonPublicAddress } from './describeNonPublicAddress';

describe('describeNonPublicAddress', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['100.64.0.1', 'a private address'],
    ['fc00::1', 'a private address'],
    ['fd12:3456::1', 'a private address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['169.254.169.254', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    ['not-an-ip', 'an invalid address'],
  ])("describes '%s' as %s", (address, description) => {
    expect(describeNonPublicAddress(address)).toBe(description);
  });

  it.each([
    ['93.184.216.34'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['8.8.8.8'],
    ['2606:4700::1111'],
    ['::ffff:8.8.8.8'],
  ])("finds '%s' public", address => {
    expect(describeNonPublicAddress(address)).toBeUndefined();
  });
});
