import type { Config, LoggerService } from '@plinth/backend-plugin-api';
import { readListenOptions } from '../rootHttpRouter/readListenOptions';
import { getProcessDevelopmentToken } from './getProcessDevelopmentToken';
import { getProcessSigningKey } from './getProcessSigningKey';
import { readAuthConfig } from './readAuthConfig';
import { StaticTokenTable } from './StaticTokenTable';
import { TokenKeyring } from './TokenKeyring';

/**
 * Called with the development token when `backend.auth.developmentToken`
 * is on, for example to write it to a file.
 *
 * @public
 */
export type DevelopmentTokenListener = (token: {
  token: string;
  subject: 'development';
}) => void | Promise<void>;

/**
 * What every plugin's auth service shares: the keys and static tokens,
 * read from config once.
 */
export interface AuthRootContext {
  readonly keyring: TokenKeyring;
  readonly staticTokens: StaticTokenTable;
  /** From `backend.auth.dangerouslyDisableDefaultAuthPolicy`. */
  readonly disableDefaultAuthPolicy: boolean;
  /** The development token, when `backend.auth.developmentToken` is on. */
  readonly developmentToken?: string;
}

/**
 * Reads `backend.auth` once for all plugins, logs how tokens are signed,
 * and logs the development token when it is on.
 *
 * @throws {@link AuthConfigError} when the config is invalid;
 *   `InvalidConfigError` when the development token is on, `backend.baseUrl`
 *   is unset and `backend.listen` is invalid.
 */
export async function createAuthRootContext(options: {
  config: Config;
  logger: LoggerService;
  onDevelopmentToken?: DevelopmentTokenListener;
  /** @defaultValue `process.env.NODE_ENV` */
  nodeEnv?: string;
}): Promise<AuthRootContext> {
  const { config, logger } = options;
  const authConfig = readAuthConfig(config, options.nodeEnv);
  const [firstKey, ...moreKeys] = authConfig.keys;
  let keyring: TokenKeyring;
  if (firstKey === undefined) {
    keyring = TokenKeyring.fromKeyPair(getProcessSigningKey());
    logger.info(
      `No 'backend.auth.keys' are configured, so plugin-to-plugin tokens are signed with a key generated for this process and only verify within it; set 'backend.auth.keys' to a shared secret to run several replicas.`,
    );
  } else {
    keyring = TokenKeyring.fromSecrets([firstKey, ...moreKeys]);
  }
  const entries = [...authConfig.externalAccess];
  let developmentToken: string | undefined;
  if (authConfig.developmentToken) {
    developmentToken = getProcessDevelopmentToken();
    entries.push({ token: developmentToken, subject: 'development' });
    logger.info(
      `Development token for subject 'external:development', valid until this process exits: ${developmentToken}\n` +
        `  Try: curl -H "Authorization: Bearer ${developmentToken}" ${readBaseUrl(config)}/api/catalog/entities`,
    );
    await options.onDevelopmentToken?.({
      token: developmentToken,
      subject: 'development',
    });
  }
  return {
    keyring,
    staticTokens: new StaticTokenTable(entries),
    disableDefaultAuthPolicy: authConfig.disableDefaultAuthPolicy,
    developmentToken,
  };
}

function readBaseUrl(config: Config): string {
  const baseUrl = config.getOptionalString('backend.baseUrl');
  if (baseUrl) {
    return baseUrl.replace(/\/+$/, '');
  }
  const { port } = readListenOptions(config);
  // Port 0 picks a free port at listen time, which is not known yet.
  return `http://localhost:${port === 0 ? '<port>' : port}`;
}
