import { hash, randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Config, LoggerService } from '@plinth/backend-plugin-api';
import type { ApiTokensService } from '@plinth/backend-plugin-api/alpha';
import { readListenOptions } from '../rootHttpRouter/readListenOptions';
import { readAuthConfig, type StaticAccessEntry } from './readAuthConfig';
import { getProcessSigningKey, TokenKeyring } from './TokenKeyring';

/**
 * Called with the development token when `backend.auth.developmentToken`
 * is on and the backend listens on a loopback address, for example to
 * write it to a file.
 *
 * @public
 */
export type DevelopmentTokenListener = (token: {
  token: string;
  subject: 'development';
}) => void | Promise<void>;

/**
 * What every plugin's auth service shares: the keys, static tokens and
 * token limits, read from config once.
 */
export interface AuthRootContext {
  readonly keyring: TokenKeyring;
  readonly staticTokens: StaticTokenTable;
  /**
   * Verifies API tokens (`plinth_pat_...`); without it they are unknown
   * static tokens.
   */
  readonly apiTokens?: ApiTokensService;
  /** From `backend.auth.dangerouslyDisableDefaultAuthPolicy`. */
  readonly disableDefaultAuthPolicy: boolean;
  /** From `backend.auth.maxUserTokenLifetime`, in whole seconds. */
  readonly maxUserTokenLifetimeSeconds: number;
  /**
   * The development token, when `backend.auth.developmentToken` is on and
   * the backend listens on a loopback address.
   */
  readonly developmentToken?: string;
}

/**
 * Reads `backend.auth` once for all plugins, logs how tokens are signed,
 * and issues and logs the development token when it is on and the backend
 * listens on a loopback address (`backend.listen.host` in `127.0.0.0/8`,
 * `::1` or `localhost`). On any other address, or every interface, it logs
 * a warning instead: a token that every plugin accepts, printed in the log
 * and often written to disk, must not work from other machines.
 *
 * @throws {@link AuthConfigError} when the config is invalid;
 *   `InvalidConfigError` when the development token is on and
 *   `backend.listen` is invalid.
 */
export async function createAuthRootContext(options: {
  config: Config;
  logger: LoggerService;
  onDevelopmentToken?: DevelopmentTokenListener;
  /** @defaultValue none: API tokens are refused as unknown */
  apiTokens?: ApiTokensService;
  /** @defaultValue `process.env.NODE_ENV` */
  nodeEnv?: string;
  /**
   * The installed plugins, for the route the development token's "Try:"
   * line names.
   * @defaultValue none: the line names `/api/<pluginId>/`
   */
  pluginIds?: readonly string[];
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
  const developmentToken = authConfig.developmentToken
    ? await issueDevelopmentToken(config, logger, options)
    : undefined;
  if (developmentToken !== undefined) {
    entries.push({ token: developmentToken, subject: 'development' });
  }
  return {
    keyring,
    staticTokens: new StaticTokenTable(entries),
    apiTokens: options.apiTokens,
    disableDefaultAuthPolicy: authConfig.disableDefaultAuthPolicy,
    maxUserTokenLifetimeSeconds: authConfig.maxUserTokenLifetimeSeconds,
    developmentToken,
  };
}

const loopbackAddresses = new BlockList();
loopbackAddresses.addSubnet('127.0.0.0', 8, 'ipv4');
loopbackAddresses.addAddress('::1', 'ipv6');

/**
 * The development token, when the backend listens on a loopback address;
 * otherwise `undefined`, with a warning that says how to get it.
 */
async function issueDevelopmentToken(
  config: Config,
  logger: LoggerService,
  options: {
    onDevelopmentToken?: DevelopmentTokenListener;
    pluginIds?: readonly string[];
  },
): Promise<string | undefined> {
  const { host, port } = readListenOptions(config);
  if (host === undefined || !isLoopbackHost(host)) {
    const where = host === undefined ? 'every interface' : `'${host}'`;
    logger.warn(
      `The development token ('backend.auth.developmentToken') is off: the backend listens on ${where}, not on a loopback address, so the token, which every plugin accepts, would work from other machines; set 'backend.listen.host: 127.0.0.1' for local development.`,
    );
    return undefined;
  }
  const token = getProcessDevelopmentToken();
  logger.info(
    `Development token for subject 'external:development', valid until this process exits: ${token}\n` +
      `  Try: curl -H "Authorization: Bearer ${token}" ${readBaseUrl(config, host, port)}${describeTryPath(options.pluginIds)}`,
  );
  await options.onDevelopmentToken?.({ token, subject: 'development' });
  return token;
}

/**
 * A route to try the token on: the catalog's entities when the catalog is
 * installed, else the first plugin's routes, which only its author knows.
 */
function describeTryPath(pluginIds: readonly string[] | undefined): string {
  if (pluginIds?.includes('catalog')) {
    return '/api/catalog/entities';
  }
  return `/api/${pluginIds?.[0] ?? '<pluginId>'}/<route>`;
}

/**
 * Whether `host` is a loopback address: IPv4 `127.0.0.0/8` (IPv4-mapped
 * IPv6 included), `::1`, or the name `localhost`.
 */
function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') {
    return true;
  }
  const family = isIP(host);
  return (
    family !== 0 &&
    loopbackAddresses.check(host, family === 6 ? 'ipv6' : 'ipv4')
  );
}

function readBaseUrl(config: Config, host: string, port: number): string {
  const baseUrl = config.getOptionalString('backend.baseUrl');
  if (baseUrl) {
    return baseUrl.replace(/\/+$/, '');
  }
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  // Port 0 picks a free port at listen time, which is not known yet.
  return `http://${urlHost}:${port === 0 ? '<port>' : port}`;
}

/**
 * Finds the static access entry a presented token belongs to, in one map
 * lookup whatever the number of entries.
 *
 * @remarks
 * The map is keyed by each token's SHA-256 digest, never by the token, so
 * the lookup's timing cannot reveal a token: how long it takes depends at
 * most on how much of a presented token's digest matches a stored digest,
 * and a caller cannot steer a digest towards another. Hashing takes the
 * same time for every token of one length.
 */
export class StaticTokenTable {
  readonly #entries: ReadonlyMap<string, StaticAccessEntry>;

  constructor(entries: readonly StaticAccessEntry[]) {
    this.#entries = new Map(entries.map(entry => [digest(entry.token), entry]));
  }

  /** The entry whose token equals `token`, if any. */
  find(token: string): StaticAccessEntry | undefined {
    return this.#entries.get(digest(token));
  }
}

function digest(token: string): string {
  return hash('sha256', token, 'base64');
}

let developmentToken: string | undefined;

/**
 * The static token that `backend.auth.developmentToken` enables, generated
 * on first use and kept for the life of the process, so the token printed
 * at start-up stays valid however many backends the process starts.
 */
export function getProcessDevelopmentToken(): string {
  developmentToken ??= randomBytes(24).toString('base64url');
  return developmentToken;
}
