import { redactUrl } from '@plinth/errors';
import net from 'node:net';
import { UrlFetchError } from '../UrlFetchError';
import { describeNonPublicAddress } from './describeNonPublicAddress';
import { allowConfigKey, type AllowRule } from './HostAllowList';
import type { HostLookup } from './HostLookup';
import { toReadRefusal } from './toReadRefusal';

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
