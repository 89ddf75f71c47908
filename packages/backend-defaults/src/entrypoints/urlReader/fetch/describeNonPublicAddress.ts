import net from 'node:net';

/** Address ranges that a wildcard rule must never reach, by kind. */
const ranges: ReadonlyArray<
  readonly [kind: string, subnets: ReadonlyArray<readonly [string, number]>]
> = [
  [
    'a loopback',
    [
      ['127.0.0.0', 8],
      ['::1', 128],
    ],
  ],
  [
    'a private',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['100.64.0.0', 10],
      ['fc00::', 7],
    ],
  ],
  [
    'a link-local',
    [
      ['169.254.0.0', 16],
      ['fe80::', 10],
    ],
  ],
  [
    'an unspecified',
    [
      ['0.0.0.0', 8],
      ['::', 128],
    ],
  ],
  [
    'a multicast',
    [
      ['224.0.0.0', 4],
      ['ff00::', 8],
    ],
  ],
  ['a reserved', [['240.0.0.0', 4]]],
];

const blockLists = ranges.map(([kind, subnets]) => {
  const list = new net.BlockList();
  for (const [network, prefix] of subnets) {
    list.addSubnet(network, prefix, net.isIPv6(network) ? 'ipv6' : 'ipv4');
  }
  return [kind, list] as const;
});

/**
 * Describes an IP address that is not on the public internet, such as
 * `'a loopback address'`, or returns `undefined` for a public one.
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) count as the IPv4
 * address they carry; anything that is not an IP address counts as
 * non-public.
 */
export function describeNonPublicAddress(address: string): string | undefined {
  const family = net.isIP(address);
  if (family === 0) {
    return 'an invalid address';
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const hit = blockLists.find(([, list]) => list.check(address, type));
  return hit ? `${hit[0]} address` : undefined;
}
