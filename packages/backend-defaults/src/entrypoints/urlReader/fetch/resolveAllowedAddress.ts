import dns from 'node:dns';
import net from 'node:net';
import { redactUrl } from '@plinth/errors';
import { UrlFetchError } from '../../../errors';
import { allowConfigKey, toReadRefusal, type AllowRule } from './HostAllowList';

// Where an http(s) read may connect: the host's addresses, resolved once,
// and none that is not globally reachable unless the rule names the host
// exactly.

/** An address to connect to, as `dns.lookup` gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/**
 * Resolves the host of `current` and returns the address to connect to.
 * Unless `rule` names the host exactly, every address must be public: a
 * name that resolves to a private address as well as public ones is
 * refused, so that no choice of address lets a request reach inside.
 *
 * @throws NotAllowedError when a wildcard rule would reach a non-public
 *   address; {@link UrlFetchError} when the name does not resolve.
 */
export async function resolveAllowedAddress(options: {
  original: URL;
  current: URL;
  rule: AllowRule;
  lookup: HostLookup;
}): Promise<ResolvedAddress> {
  const { original, current, rule, lookup } = options;
  const hostname = current.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = net.isIP(hostname);
  let addresses: ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await lookup(hostname);
    } catch (error) {
      throw UrlFetchError.lookup(redactUrl(original), hostname, error);
    }
    if (addresses.length === 0) {
      throw UrlFetchError.lookup(redactUrl(original), hostname, 'no addresses');
    }
  }
  if (rule.wildcard) {
    for (const { address } of addresses) {
      const kind = describeNonPublicAddress(address);
      if (kind) {
        throw toReadRefusal(
          original,
          current,
          `host '${hostname}' resolves to ${address}, ${kind}, and the rule that matches it, '${rule.host}', is a wildcard; only a rule that names a host exactly may reach such addresses`,
          `To allow it, add { host: '${current.host}' } to '${allowConfigKey}'.`,
        );
      }
    }
  }
  return addresses[0];
}

/**
 * Resolves a host name to the addresses it may be reached at, as
 * `dns.promises.lookup(hostname, { all: true })` does; replace it in tests
 * to point names at local servers.
 *
 * @public
 */
export type HostLookup = (
  hostname: string,
) => Promise<Array<{ address: string; family: number }>>;

/** The system resolver, in the order it returns addresses. */
export const lookupHost: HostLookup = hostname =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

type Ranges = ReadonlyArray<
  readonly [kind: string, subnets: readonly string[]]
>;

/**
 * The IPv4 ranges of IANA's special-purpose registry that a wildcard rule
 * must never reach, by kind; the first kind that holds an address names it,
 * so the broadcast address is not called reserved.
 */
const ipv4Ranges: Ranges = [
  ['an unspecified', ['0.0.0.0/8']],
  ['a loopback', ['127.0.0.0/8']],
  [
    'a private',
    ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'],
  ],
  ['a link-local', ['169.254.0.0/16']],
  ['a documentation', ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24']],
  ['a benchmarking', ['198.18.0.0/15']],
  // IETF protocol assignments, AS112, AMT and the deprecated 6to4 relay
  // anycast: infrastructure, never a host a reader has business with.
  [
    'a special-purpose',
    [
      '192.0.0.0/24',
      '192.31.196.0/24',
      '192.52.193.0/24',
      '192.88.99.0/24',
      '192.175.48.0/24',
    ],
  ],
  ['a multicast', ['224.0.0.0/4']],
  ['a broadcast', ['255.255.255.255/32']],
  ['a reserved', ['240.0.0.0/4']],
];

/**
 * The same for IPv6. The forms that embed an IPv4 address (IPv4-mapped and
 * -compatible, NAT64, 6to4, Teredo) are judged by it before these ranges.
 */
const ipv6Ranges: Ranges = [
  ['an unspecified', ['::/128']],
  ['a loopback', ['::1/128']],
  ['a private', ['fc00::/7']],
  ['a link-local', ['fe80::/10']],
  ['a site-local', ['fec0::/10']],
  ['a documentation', ['2001:db8::/32', '3fff::/20']],
  ['a discard-only', ['100::/64']],
  ['a local-use NAT64', ['64:ff9b:1::/48']],
  ['a segment-routing', ['5f00::/16']],
  ['a special-purpose', ['2001::/23']],
  ['a multicast', ['ff00::/8']],
];

function toBlockLists(ranges: Ranges, type: 'ipv4' | 'ipv6') {
  return ranges.map(([kind, subnets]) => {
    const list = new net.BlockList();
    for (const subnet of subnets) {
      const [network, prefix] = subnet.split('/');
      list.addSubnet(network, Number(prefix), type);
    }
    return [kind, list] as const;
  });
}

const ipv4BlockLists = toBlockLists(ipv4Ranges, 'ipv4');
const ipv6BlockLists = toBlockLists(ipv6Ranges, 'ipv6');

function describeIPv4(address: string): string | undefined {
  const hit = ipv4BlockLists.find(([, list]) => list.check(address, 'ipv4'));
  return hit ? `${hit[0]} address` : undefined;
}

/** The eight 16-bit words of a valid IPv6 address without a zone. */
function toWords(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map(word => parseInt(word, 16));
  const [head, tail] = text.split('::');
  if (tail === undefined) {
    return parse(head);
  }
  const left = parse(head);
  const right = parse(tail);
  return [
    ...left,
    ...new Array<number>(8 - left.length - right.length).fill(0),
    ...right,
  ];
}

/**
 * The IPv4 addresses that an IPv6 address carries by one of the standard
 * embeddings, with the embedding's name.
 */
function findEmbeddedIPv4(
  words: readonly number[],
): { form: string; addresses: string[] } | undefined {
  const ipv4 = (high: number, low: number) =>
    [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  const zeroUpTo = (end: number) => words.slice(0, end).every(w => w === 0);
  if (zeroUpTo(5) && words[5] === 0xffff) {
    return { form: 'an IPv4-mapped', addresses: [ipv4(words[6], words[7])] };
  }
  // '::' and '::1' are IPv6's own unspecified and loopback addresses.
  if (zeroUpTo(6) && (words[6] !== 0 || words[7] > 1)) {
    return {
      form: 'an IPv4-compatible',
      addresses: [ipv4(words[6], words[7])],
    };
  }
  if (
    words[0] === 0x64 &&
    words[1] === 0xff9b &&
    words.slice(2, 6).every(w => w === 0)
  ) {
    return { form: 'a NAT64', addresses: [ipv4(words[6], words[7])] };
  }
  if (words[0] === 0x2002) {
    return { form: 'a 6to4', addresses: [ipv4(words[1], words[2])] };
  }
  if (words[0] === 0x2001 && words[1] === 0) {
    return {
      form: 'a Teredo',
      addresses: [
        ipv4(words[2], words[3]),
        ipv4(words[6] ^ 0xffff, words[7] ^ 0xffff),
      ],
    };
  }
  return undefined;
}

function describeIPv6(address: string): string | undefined {
  const embedded = findEmbeddedIPv4(toWords(address));
  if (embedded) {
    const kind = embedded.addresses.map(describeIPv4).find(Boolean);
    if (kind) {
      return `${embedded.form} address of ${kind}`;
    }
    // Teredo packets travel through relays to a client behind a NAT, so
    // where they arrive follows from the NAT's state rather than from the
    // address: no Teredo address can be shown to be public.
    return embedded.form === 'a Teredo' ? 'a Teredo address' : undefined;
  }
  const hit = ipv6BlockLists.find(([, list]) => list.check(address, 'ipv6'));
  return hit ? `${hit[0]} address` : undefined;
}

/**
 * Describes an IP address that is not globally reachable, such as
 * `'a loopback address'` or `'a NAT64 address of a private address'`, or
 * returns `undefined` for a public one.
 *
 * @remarks
 * Every range of IANA's IPv4 and IPv6 special-purpose registries that is
 * not globally reachable counts as non-public. IPv6 addresses that embed an
 * IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`,
 * NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:aabb:ccdd::`, and Teredo's server
 * and client) count as non-public when an embedded address is; a Teredo
 * address counts as non-public whatever it carries. Anything that is not
 * an IP address counts as non-public.
 */
export function describeNonPublicAddress(address: string): string | undefined {
  // A zone (`fe80::1%eth0`) only picks the interface.
  const bare = address.replace(/%.*$/, '');
  switch (net.isIP(bare)) {
    case 4:
      return describeIPv4(bare);
    case 6:
      return describeIPv6(bare);
    default:
      return 'an invalid address';
  }
}
