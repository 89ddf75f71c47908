import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './resolveAllowedAddress';

/**
 * Sends a GET request that connects to `address` and nowhere else: the
 * request's own `lookup` answers with it, so a second DNS answer cannot
 * redirect the connection (DNS rebinding). TLS still verifies the
 * certificate against the URL's host name.
 */
export function sendRequest(
  url: URL,
  address: ResolvedAddress,
  headers: http.OutgoingHttpHeaders,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) {
      callback(null, [address]);
    } else {
      callback(null, address.address, address.family);
    }
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      // A fresh socket per request: a pooled one may belong to an address
      // checked for another request.
      { method: 'GET', headers, signal, lookup, agent: false },
      resolve,
    );
    request.on('error', reject);
    request.end();
  });
}
