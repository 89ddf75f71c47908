import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpServerListenError } from './HttpServerListenError';
import type { ListenOptions } from './readListenOptions';

/**
 * Starts `server` listening and resolves with the address it listens on.
 *
 * @throws {@link HttpServerListenError} naming the address and the config key
 *   to change, such as when the port is in use.
 */
export function listenHttpServer(
  server: Server,
  { host, port }: ListenOptions,
): Promise<{ host: string; port: number }> {
  const address = describeAddress(host, port);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(toListenError(error, address, host, port));
    };
    const onListening = () => {
      server.off('error', onError);
      const info = server.address() as AddressInfo;
      resolve({ host: info.address, port: info.port });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function toListenError(
  error: NodeJS.ErrnoException,
  address: string,
  host: string | undefined,
  port: number,
): HttpServerListenError {
  switch (error.code) {
    case 'EADDRINUSE':
      return HttpServerListenError.portInUse(address, port);
    case 'EACCES':
      return HttpServerListenError.permissionDenied(address, port);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return HttpServerListenError.unknownHost(address, host ?? '');
    default:
      return HttpServerListenError.other(address, error);
  }
}

/** Such as `127.0.0.1:7007`, `[::1]:7007`, or `*:7007` for every interface. */
function describeAddress(host: string | undefined, port: number): string {
  if (!host) {
    return `*:${port}`;
  }
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
