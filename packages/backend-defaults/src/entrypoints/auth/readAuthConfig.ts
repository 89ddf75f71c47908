import type { Config } from '@plinth/backend-plugin-api';
import { AuthConfigError } from './AuthConfigError';
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
}

/** HMAC keys shorter than the hash output weaken HS256 (RFC 7518 3.2). */
const minimumSecretLength = 32;

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
  if (problems.length > 0) {
    throw new AuthConfigError(problems);
  }
  return { keys, externalAccess, developmentToken, disableDefaultAuthPolicy };
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
