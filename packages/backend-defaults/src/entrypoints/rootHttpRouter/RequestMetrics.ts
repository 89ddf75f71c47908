import type { MetricsService } from '@plinth/backend-plugin-api/alpha';
import type { Request, RequestHandler } from 'express';

/**
 * Bucket bounds in seconds, from a cached read to a slow catalog query;
 * the SDK's default bounds are meant for milliseconds.
 */
const durationBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Methods recorded by name; any other is 'other'. */
const knownMethods = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);

/**
 * Distinct `plugin` and `route` pairs recorded at most. Route patterns
 * come from code, but a plugin's router mounted at a path with parameters
 * puts their values in the base URL; past this bound such routes count as
 * 'other' so that no client can grow the series without end.
 */
const maxRoutes = 1000;

/**
 * Records `http.server.request.duration` for every request the root app
 * serves, once its response has ended or its connection closed, with the
 * attributes `plugin` (the plugin id for `/api/<pluginId>`, else 'root'),
 * `route` (the express route pattern that handled it, or 'unmatched' when
 * no route did, such as a 404 or a request refused before reaching a
 * route: never the raw path), `method` and `status` (499 when the client
 * went away before the response ended).
 */
export class RequestMetrics {
  readonly #mounts = new WeakMap<Request, string>();
  readonly #routes = new Set<string>();
  readonly #duration;

  constructor(meter: MetricsService) {
    this.#duration = meter.createHistogram('http.server.request.duration', {
      description: 'Duration of HTTP requests served by the backend.',
      unit: 's',
      advice: { explicitBucketBoundaries: durationBuckets },
    });
  }

  /** The middleware that times each request; goes first in the app. */
  readonly middleware: RequestHandler = (req, res, next) => {
    const start = performance.now();
    res.on('close', () => {
      const mount = this.#mounts.get(req);
      const plugin = pluginOf(mount);
      this.#duration.record((performance.now() - start) / 1000, {
        plugin,
        route: this.#boundRoute(plugin, routeOf(req, mount)),
        method: knownMethods.has(req.method) ? req.method : 'other',
        status: res.writableFinished ? res.statusCode : 499,
      });
    });
    next();
  };

  /**
   * A middleware to put before a handler mounted at `path`, so requests it
   * serves count for the right plugin and route prefix.
   */
  labelMount(path: string): RequestHandler {
    return (req, _res, next) => {
      this.#mounts.set(req, path);
      next();
    };
  }

  #boundRoute(plugin: string, route: string): string {
    const key = `${plugin} ${route}`;
    if (this.#routes.has(key)) {
      return route;
    }
    if (this.#routes.size >= maxRoutes) {
      return 'other';
    }
    this.#routes.add(key);
    return route;
  }
}

const pluginMountPattern = /^\/api\/([^/]+)$/;

function pluginOf(mount: string | undefined): string {
  return (mount && pluginMountPattern.exec(mount)?.[1]) || 'root';
}

/**
 * The pattern of the route that handled the request: the base URL of its
 * router and the route's own path, such as
 * `/api/catalog/entities/by-name/:kind/:namespace/:name`. The mount path
 * is written as mounted, since express matches it in any case. When an
 * error left the routers before the response, the base URL is back to the
 * root's, and the mount path stands in for it.
 */
function routeOf(req: Request, mount: string | undefined): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (path === undefined) {
    return 'unmatched';
  }
  let base = req.baseUrl;
  if (mount !== undefined) {
    const within = base.toLowerCase();
    const prefix = mount.toLowerCase();
    base =
      within === prefix || within.startsWith(`${prefix}/`)
        ? `${mount}${base.slice(mount.length)}`
        : mount;
  }
  return `${base}${describePath(path)}`;
}

function describePath(path: unknown): string {
  if (Array.isArray(path)) {
    return path.map(describePath).join(',');
  }
  return path instanceof RegExp ? path.source : String(path);
}
