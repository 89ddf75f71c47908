import type { Config } from '@plinth/backend-plugin-api';
import type { CorsOptions } from 'cors';
import helmet, { type HelmetOptions } from 'helmet';
import { ConfigReader } from '../../config';
import { InvalidConfigError } from '../../errors';

// The options of the two middlewares that set security headers on every
// response: helmet's (Content-Security-Policy and the rest, from
// `backend.csp`) and CORS's (from `backend.cors`).

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

type Directives = NonNullable<
  Exclude<HelmetOptions['contentSecurityPolicy'], boolean>
>['directives'];

/**
 * Reads `backend.csp` into helmet options: helmet's default
 * Content-Security-Policy with each configured directive replacing the
 * default one, and `false` removing it.
 *
 * @throws {@link InvalidConfigError} naming the directive when a value is not
 *   a list of strings or `false`, or when helmet rejects the result (such as
 *   an unquoted `self`).
 */
export function readHelmetOptions(config: Config): HelmetOptions {
  const csp = config.getOptionalConfig('backend.csp');
  const directives: Directives = {};
  for (const name of csp?.keys() ?? []) {
    const key = `backend.csp.${name}`;
    const value = config.get(key);
    if (value === false) {
      directives[name] =
        name === 'default-src' || name === 'defaultSrc'
          ? helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc
          : null;
    } else if (Array.isArray(value)) {
      directives[name] = config.getOptionalStringArray(key) ?? [];
    } else {
      throw new InvalidConfigError(
        key,
        ConfigReader.findContext(config, key),
        'a list of strings, or false to remove the directive',
        value,
      );
    }
  }
  const options: HelmetOptions = {
    contentSecurityPolicy: { useDefaults: true, directives },
  };
  try {
    helmet(options);
  } catch (error) {
    // helmet checks directive names and values when it is created.
    throw new InvalidConfigError(
      'backend.csp',
      ConfigReader.findContext(config, 'backend.csp'),
      `directives helmet accepts (${(error as Error).message})`,
      csp?.get(),
    );
  }
  return options;
}
