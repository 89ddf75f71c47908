import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import {
  PrometheusSerializer,
  type PrometheusExporter,
} from '@opentelemetry/exporter-prometheus';
import type { LoggerService } from '@plinth/backend-plugin-api';
import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
} from '@plinth/errors';
import express, { type Request, type RequestHandler } from 'express';

/** How long a scrape waits for the instruments' callbacks. */
const collectTimeoutMs = 5000;

/** Headers a proxy adds when it forwards a request for someone else. */
const forwardingHeaders = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via'];

/** The path Prometheus scrapes, on the root router beside the health routes. */
export const metricsPath = '/metrics';

/**
 * The `GET /metrics` route. Its access policy is its own, apart from the
 * plugins' credentials: with `backend.metrics.token` set, a scrape must
 * send it as a bearer token; without one, only callers on the loopback
 * interface may scrape, so `curl localhost:7007/metrics` works on a laptop
 * and a backend exposed to a network shows nothing until a token is set.
 * Refusals go through the root error handler as 401 or 403; when metrics
 * are disabled the route does not exist (404).
 */
export function createMetricsEndpoint(options: {
  enabled: boolean;
  /** Undefined when the app's own meter provider is kept. */
  exporter: PrometheusExporter | undefined;
  token: string | undefined;
  logger: LoggerService;
}): RequestHandler {
  const router = express.Router();
  if (!options.enabled) {
    return router;
  }
  const { exporter, logger } = options;
  const authorize = createAccessPolicy(options.token);
  const serializer = new PrometheusSerializer();
  router.get(metricsPath, async (req, res, next) => {
    authorize(req);
    if (!exporter) {
      next(
        new NotFoundError(
          "No metrics are served at 'GET /metrics': the app registered its own OpenTelemetry MeterProvider, so the backend's series go to that provider's exporters.",
        ),
      );
      return;
    }
    // A gauge that reads the database must not hold the whole scrape past
    // Prometheus's timeout while the database is down: a late callback
    // drops only its own series.
    const { resourceMetrics, errors } = await exporter.collect({
      timeoutMillis: collectTimeoutMs,
    });
    for (const error of errors) {
      logger.warn('A metric callback failed during a scrape.', {
        error: String(error),
      });
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/plain; version=0.0.4; charset=utf-8');
    res.send(mergeMetricFamilies(serializer.serialize(resourceMetrics)));
  });
  return router;
}

/**
 * Joins the blocks the exporter writes for one metric name into one family.
 * The exporter writes a HELP and TYPE block per meter, and each plugin has
 * a meter of its own, so a series several plugins record (the scheduler's,
 * the events service's) would appear as several families of one name,
 * which Prometheus refuses as a scrape error
 * (open-telemetry/opentelemetry-js#3467). Samples keep their
 * `otel_scope_name` label, so they stay apart within the family.
 */
export function mergeMetricFamilies(text: string): string {
  const families = new Map<string, string[]>();
  let current: string[] = [];
  families.set('', current);
  for (const line of text.split('\n')) {
    if (line === '') {
      continue;
    }
    const header = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (!header) {
      current.push(line);
      continue;
    }
    const name = header[2];
    current = families.get(name) ?? [];
    families.set(name, current);
    if (!current.some(seen => seen.startsWith(`# ${header[1]} `))) {
      current.push(line);
    }
  }
  const lines = [...families.values()].flat();
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Throws unless the request may read the metrics. */
function createAccessPolicy(token: string | undefined): (req: Request) => void {
  if (token === undefined) {
    return req => {
      // A proxy on this host (a sidecar, nginx) connects from the loopback
      // for callers anywhere; what it forwards is not a local caller.
      const forwarded = forwardingHeaders.some(
        h => req.headers[h] !== undefined,
      );
      if (forwarded || !isLoopback(req.socket.remoteAddress)) {
        throw new NotAllowedError(
          "'GET /metrics' answers only callers on this machine while 'backend.metrics.token' is not set. Set it and send 'Authorization: Bearer <token>' to scrape from another host.",
        );
      }
    };
  }
  // Digests have one length whatever was sent, so the comparison takes the
  // same time for every wrong token.
  const expected = digest(token);
  return req => {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer +(\S+) *$/i);
    if (!match) {
      throw new AuthenticationError(
        "'GET /metrics' needs the token of 'backend.metrics.token' as 'Authorization: Bearer <token>'.",
      );
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      throw new AuthenticationError(
        "'GET /metrics' got a bearer token that is not the one of 'backend.metrics.token'. Send that token.",
      );
    }
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether the connection comes from this machine: 127.0.0.0/8 or ::1,
 * also as IPv4-mapped IPv6 addresses. The socket's own address counts,
 * never a forwarded header a client could write.
 */
function isLoopback(address: string | undefined): boolean {
  if (!address) {
    return false;
  }
  const ipv4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(ipv4) === 4) {
    return ipv4.startsWith('127.');
  }
  return address === '::1';
}
