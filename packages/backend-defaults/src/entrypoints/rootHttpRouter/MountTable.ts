import { ConflictError } from '@plinth/errors';
import type { Handler, NextFunction, RequestHandler } from 'express';
import { chainMiddleware } from './chainMiddleware';

/**
 * The handlers mounted on the root router by path prefix, such as each
 * plugin's router at `/api/<pluginId>`. Prefixes never overlap, so a
 * request belongs to at most one of them, found without trying each
 * handler in turn.
 *
 * @remarks
 * A request is handed over as express hands one to a router mounted with
 * `app.use(path, router)`: the prefix is matched by whole segments and
 * ignoring case; the handler sees it in `req.baseUrl`, as the request
 * wrote it, the rest in `req.url`, and empty `req.params`; all three are
 * restored when the handler passes the request on.
 */
export class MountTable {
  readonly #mounts: Array<{ prefix: string; path: string; handle: Handler }> =
    [];

  /**
   * Mounts `handlers`, run in order, at `path`.
   *
   * @throws {@link @plinth/errors#ConflictError} when `path` is within a
   *   mounted path or holds one.
   */
  add(path: string, ...handlers: Handler[]): void {
    const prefix = path.toLowerCase();
    const overlapping = this.#mounts.find(
      mount => isWithin(prefix, mount.prefix) || isWithin(mount.prefix, prefix),
    );
    if (overlapping !== undefined) {
      throw new ConflictError(
        `Cannot mount a handler at '${path}': it overlaps the handler already mounted at '${overlapping.path}'. Give each handler a path that is not inside another's.`,
      );
    }
    this.#mounts.push({ prefix, path, handle: chainMiddleware(handlers) });
  }

  /** Hands each request to the handlers mounted at its path, if any. */
  readonly middleware: RequestHandler = (req, res, next) => {
    const url = req.url;
    const protohost = url[0] === '/' ? '' : readProtohost(url);
    const query = url.indexOf('?', protohost.length);
    const path = url
      .slice(protohost.length, query === -1 ? url.length : query)
      .toLowerCase();
    const mount = this.#mounts.find(m => isWithin(path, m.prefix));
    if (mount === undefined) {
      next();
      return;
    }
    const parentUrl = req.baseUrl || '';
    const parentParams = req.params;
    const rest = url.slice(protohost.length + mount.prefix.length);
    req.baseUrl =
      parentUrl + url.slice(protohost.length).slice(0, mount.prefix.length);
    req.url = protohost || rest.startsWith('/') ? protohost + rest : `/${rest}`;
    // A mount path has no parameters.
    req.params = {};
    const restore: NextFunction = error => {
      req.url = url;
      req.baseUrl = parentUrl;
      req.params = parentParams;
      next(error);
    };
    mount.handle(req, res, restore);
  };
}

/** Whether `path` is `prefix` or below it; both in lower case. */
function isWithin(path: string, prefix: string): boolean {
  return (
    path.startsWith(prefix) &&
    (path.length === prefix.length || path[prefix.length] === '/')
  );
}

/**
 * The scheme and host of a request target in absolute form, such as
 * `http://example.com` of `http://example.com/api/catalog`, which
 * express routes by its path; '' for any other target.
 */
function readProtohost(url: string): string {
  const query = url.indexOf('?');
  const scheme = url.slice(0, query === -1 ? url.length : query).indexOf('://');
  if (scheme === -1) {
    return '';
  }
  const pathStart = url.indexOf('/', scheme + 3);
  return pathStart === -1 ? url : url.slice(0, pathStart);
}
