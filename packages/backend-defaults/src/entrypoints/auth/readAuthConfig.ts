import type { Config } from '@plinth/backend-plugin-api';
import { readDurationFromConfig } from '../rootConfig/readDurationFromConfig';
import { AuthConfigError } from '../../errors';
import { readConfigValue } from './readConfigValue';
import {
  readExternalAccessConfig,
  type StaticAccessEntry,
} from './readExternalAccessConfig';

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
