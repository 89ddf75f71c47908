import dns from 'node:dns';

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
