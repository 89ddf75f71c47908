import type { Config } from '@plinth/backend-plugin-api';
import type { CorsOptions } from 'cors';
import { InvalidConfigError } from '../rootConfig/InvalidConfigError';
import { ConfigReader } from '../rootConfig/ConfigReader';

/**
 * Reads `backend.cors` into options for the `cors` middleware, or
 * `undefined` when the key is not set, which means no CORS headers at all.
 *
 * @remarks
 * `origin` is one origin or a list; `*` inside an origin matches any run of
 * characters other than `/`, so `https://*.example.com` allows every
 * subdomain, and `'*'` alone allows every origin. Matching ignores case.
 *
 * @throws {@link @plinth/backend-defaults#MissingConfigError} when `origin`
 *   is missing; {@link InvalidConfigError} when a value has the wrong type.
 */
export function readCorsOptions(config: Config): CorsOptions | undefined {
  const cors = config.getOptionalConfig('backend.cors');
  if (!cors) {
    return undefined;
  }
  const patterns = readStringOrList(config, 'backend.cors.origin', true)!;
  const matchers = patterns.map(toOriginMatcher);
  const options: CorsOptions = {
    origin: (origin, callback) => {
      callback(
        null,
        origin !== undefined && matchers.some(matches => matches(origin)),
      );
    },
    methods: readStringOrList(config, 'backend.cors.methods'),
    allowedHeaders: readStringOrList(config, 'backend.cors.allowedHeaders'),
    exposedHeaders: readStringOrList(config, 'backend.cors.exposedHeaders'),
    credentials: cors.getOptionalBoolean('credentials'),
    maxAge: cors.getOptionalNumber('maxAge'),
  };
  // The cors middleware copies options over its defaults, so a key set to
  // undefined would erase a default (such as the allowed methods).
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  );
}

function readStringOrList(
  config: Config,
  key: string,
  required = false,
): string[] | undefined {
  const value = required ? config.get(key) : config.getOptional(key);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value === 'string' && value !== '') {
    return [value];
  }
  if (Array.isArray(value) && value.length > 0) {
    return config.getStringArray(key);
  }
  throw new InvalidConfigError(
    key,
    ConfigReader.findContext(config, key),
    'a non-empty string or a non-empty list of strings',
    value,
  );
}

function toOriginMatcher(pattern: string): (origin: string) => boolean {
  if (pattern === '*') {
    return () => true;
  }
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  const regex = new RegExp(`^${source}$`, 'i');
  return origin => regex.test(origin);
}
