import {
  type Config,
  describeIdRule,
  isValidId,
} from '@plinth/backend-plugin-api';
import { InputError, quoteList } from '@plinth/errors';
import { InvalidConfigError, MissingConfigError } from '../../errors';
import { readDurationFromConfig } from '../../config';
import { AuthConfigError } from '../../errors';

/**
 * The validated `backend.auth` config.
 */
export interface AuthConfig {
  /** HS256 secrets from `backend.auth.keys`; the first signs, all verify. */
  keys: string[];
  /** Static tokens from `backend.auth.externalAccess`. */
  externalAccess: StaticAccessEntry[];
  /** `backend.auth.developmentToken`. */
  developmentToken: boolean;
  /** `backend.auth.dangerouslyDisableDefaultAuthPolicy`. */
  disableDefaultAuthPolicy: boolean;
  /**
   * `backend.auth.maxUserTokenLifetime` in whole seconds: the longest a
   * user token may claim to be valid (`exp - iat`).
   * @defaultValue 24 hours
   */
  maxUserTokenLifetimeSeconds: number;
}

/**
 * A static token from `backend.auth.externalAccess`.
 */
export interface StaticAccessEntry {
  token: string;
  /** The caller's name; the principal is `external:<subject>`. */
  subject: string;
  /** The plugins the token may call; all when absent. */
  pluginIds?: string[];
}

/** HMAC keys shorter than the hash output weaken HS256 (RFC 7518 3.2). */
const minimumSecretLength = 32;

/**
 * The longest Backstage's auth backend issues user tokens for: it clamps
 * `auth.backstageTokenExpiration` to 24 hours (its default is an hour).
 */
const defaultMaxUserTokenLifetimeSeconds = 24 * 60 * 60;

/**
 * Reads and validates `backend.auth`, reporting every problem at once.
 *
 * @param nodeEnv - `NODE_ENV`; `production` refuses the development token.
 * @throws {@link AuthConfigError} listing each invalid key.
 */
export function readAuthConfig(
  config: Config,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): AuthConfig {
  const problems: string[] = [];
  const keys = readKeys(config, problems);
  const externalAccess = readExternalAccessConfig(config, problems);
  const developmentToken =
    readConfigValue(problems, () =>
      config.getOptionalBoolean('backend.auth.developmentToken'),
    ) ?? false;
  if (developmentToken && nodeEnv === 'production') {
    problems.push(
      `Invalid config at 'backend.auth.developmentToken': the development token is refused when NODE_ENV is 'production', because anyone who can read the log could use it; remove the setting from your production config.`,
    );
  }
  const disableDefaultAuthPolicy =
    readConfigValue(problems, () =>
      config.getOptionalBoolean(
        'backend.auth.dangerouslyDisableDefaultAuthPolicy',
      ),
    ) ?? false;
  const maxUserTokenLifetimeSeconds = readMaxUserTokenLifetime(
    config,
    problems,
  );
  if (problems.length > 0) {
    throw new AuthConfigError(problems);
  }
  return {
    keys,
    externalAccess,
    developmentToken,
    disableDefaultAuthPolicy,
    maxUserTokenLifetimeSeconds,
  };
}

/**
 * Token times are whole seconds, so the limit is too; under a second no
 * token could pass, which is a mistake rather than a policy.
 */
function readMaxUserTokenLifetime(config: Config, problems: string[]) {
  const key = 'backend.auth.maxUserTokenLifetime';
  const ms = readConfigValue(problems, () =>
    readDurationFromConfig(config, key, { allowZero: false }),
  );
  if (ms === undefined) {
    return defaultMaxUserTokenLifetimeSeconds;
  }
  if (ms < 1000) {
    problems.push(
      `Invalid config at '${key}': ${ms} milliseconds is shorter than a second, so every user token would be refused; set a duration such as { hours: 24 }.`,
    );
  }
  return Math.floor(ms / 1000);
}

function readKeys(config: Config, problems: string[]): string[] {
  const entries =
    readConfigValue(problems, () =>
      config.getOptionalConfigArray('backend.auth.keys'),
    ) ?? [];
  const hint = `generate one with: node -p "require('node:crypto').randomBytes(24).toString('base64')"`;
  return entries.flatMap((entry, index) => {
    const key = `backend.auth.keys[${index}].secret`;
    const before = problems.length;
    const secret = readConfigValue(problems, () =>
      entry.getOptionalString('secret'),
    );
    if (problems.length > before) {
      return [];
    }
    if (secret === undefined) {
      problems.push(
        `Missing config at '${key}': each key needs a secret of at least ${minimumSecretLength} characters; ${hint}`,
      );
      return [];
    }
    if (secret.length < minimumSecretLength) {
      problems.push(
        `Invalid config at '${key}': the secret has ${secret.length} characters, fewer than the ${minimumSecretLength} that HS256 needs; ${hint}`,
      );
      return [];
    }
    return [secret];
  });
}

const accessTypes = ['static'];
const tokenPattern = /^\S{8,}$/;
const generateHint = `generate one with: node -p "require('node:crypto').randomBytes(24).toString('base64url')"`;

/**
 * Reads and validates `backend.auth.externalAccess`, adding one line per
 * problem to `problems`.
 */
function readExternalAccessConfig(
  config: Config,
  problems: string[],
): StaticAccessEntry[] {
  const entries =
    readConfigValue(problems, () =>
      config.getOptionalConfigArray('backend.auth.externalAccess'),
    ) ?? [];
  const result: StaticAccessEntry[] = [];
  const firstIndexByToken = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = `backend.auth.externalAccess[${index}]`;
    const parsed = readEntry(entry, key, problems);
    if (!parsed) {
      return;
    }
    const first = firstIndexByToken.get(parsed.token);
    if (first !== undefined) {
      problems.push(
        `Invalid config at '${key}.options.token': it repeats the token of 'backend.auth.externalAccess[${first}]'; give each entry its own token.`,
      );
      return;
    }
    firstIndexByToken.set(parsed.token, index);
    result.push(parsed);
  });
  return result;
}

function readEntry(
  entry: Config,
  key: string,
  problems: string[],
): StaticAccessEntry | undefined {
  const before = problems.length;
  const type = readConfigValue(problems, () => entry.getOptionalString('type'));
  if (type === undefined && problems.length === before) {
    problems.push(
      `Missing config at '${key}.type': set it to 'static', the only supported access type.`,
    );
  } else if (type !== undefined && !accessTypes.includes(type)) {
    problems.push(
      `Invalid config at '${key}.type': unknown access type '${type}'; the only supported type is 'static'.`,
    );
  }
  const token = readToken(entry, key, problems);
  const subject = readSubject(entry, key, problems);
  const pluginIds = readRestrictions(entry, key, problems);
  if (problems.length > before || !token || !subject) {
    return undefined;
  }
  return pluginIds ? { token, subject, pluginIds } : { token, subject };
}

function readToken(entry: Config, key: string, problems: string[]) {
  const before = problems.length;
  const token = readConfigValue(problems, () =>
    entry.getOptionalString('options.token'),
  );
  if (problems.length > before) {
    return undefined;
  }
  if (token === undefined) {
    problems.push(
      `Missing config at '${key}.options.token': a static access entry needs a token of at least 8 characters without whitespace; ${generateHint}`,
    );
    return undefined;
  }
  if (!tokenPattern.test(token)) {
    // The value is a secret, so the message describes it without quoting it.
    problems.push(
      `Invalid config at '${key}.options.token': the token must be at least 8 characters without whitespace; ${generateHint}`,
    );
    return undefined;
  }
  return token;
}

function readSubject(entry: Config, key: string, problems: string[]) {
  const before = problems.length;
  const subject = readConfigValue(problems, () =>
    entry.getOptionalString('options.subject'),
  );
  if (subject === undefined && problems.length === before) {
    problems.push(
      `Missing config at '${key}.options.subject': name the caller that uses this token, such as 'ci'; it authenticates as 'external:<subject>'.`,
    );
  }
  return subject;
}

function readRestrictions(
  entry: Config,
  key: string,
  problems: string[],
): string[] | undefined {
  const restrictions = readConfigValue(problems, () =>
    entry.getOptionalConfigArray('accessRestrictions'),
  );
  if (!restrictions) {
    return undefined;
  }
  if (restrictions.length === 0) {
    problems.push(
      `Invalid config at '${key}.accessRestrictions': the list is empty; list the plugins the token may call, or remove the key to allow every plugin.`,
    );
    return undefined;
  }
  return restrictions.flatMap((restriction, index) => {
    const at = `${key}.accessRestrictions[${index}]`;
    const unknown = restriction.keys().filter(k => k !== 'plugin');
    if (unknown.length > 0) {
      problems.push(
        `Invalid config at '${at}': unsupported restriction ${quoteList(unknown)}; only 'plugin' restrictions are supported; remove it, as it would restrict nothing.`,
      );
    }
    const before = problems.length;
    const plugin = readConfigValue(problems, () =>
      restriction.getOptionalString('plugin'),
    );
    if (problems.length > before) {
      return [];
    }
    if (plugin === undefined) {
      problems.push(
        `Missing config at '${at}.plugin': each restriction names a plugin the token may call, such as 'catalog'.`,
      );
      return [];
    }
    if (!isValidId('plugin id', plugin)) {
      problems.push(
        `Invalid config at '${at}.plugin': '${plugin}' is not a plugin id; use ${describeIdRule('plugin id')}.`,
      );
      return [];
    }
    return [plugin];
  });
}

/**
 * Runs one config getter and returns its value; a type error from the
 * config reader becomes an entry of `problems` instead, so that the auth
 * config reports every problem at once.
 */
function readConfigValue<T>(problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (
      error instanceof InvalidConfigError ||
      error instanceof MissingConfigError ||
      error instanceof InputError
    ) {
      problems.push(error.message);
      return undefined;
    }
    throw error;
  }
}
