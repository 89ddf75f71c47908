import { createServiceRef } from '../createServiceRef';

/**
 * How `ConnectionsService.find` picks a connection from a query: `host`
 * by the host of `query.url`, `aws` by account (all accounts live in one
 * connection, and the auth entry is chosen by account id or ARN).
 *
 * @alpha
 */
export type ConnectionLookupStrategy = 'host' | 'aws';

/**
 * Declares that a plugin or module uses a connection type; see
 * {@link declareConnection}.
 *
 * @alpha
 */
export interface ConnectionRegistration {
  /** The connection type, as in `connections[].type` and `find({ type })`. */
  type: string;
  /**
   * Whether the feature cannot work without such a connection. Informational
   * only: a missing connection does not stop the backend. Default: false.
   */
  required?: boolean;
  /** Why the feature needs the connection, for tooling and diagnostics. */
  description?: string;
}

type HostQuery = { url: string };
type None = { method: 'none' };
type Token = { method: 'token'; token: string };
type Basic = { method: 'basic'; username: string; password: string };
type AccessKey = {
  method: 'accessKey';
  accessKeyId: string;
  secretAccessKey: string;
};
type AssumeRole = {
  method: 'assumeRole';
  roleArn: string;
  externalId?: string;
};

/**
 * The built-in connection types as TypeScript sees them: for each type its
 * query, its connection-level config and the union of its auth entries.
 * The same types, with the same fields, as Backstage's `connectionTypes`.
 *
 * @alpha
 */
export interface ConnectionTypeShapes {
  aws: {
    query: { accountId?: string; arn?: string };
    config: {
      roleName?: string;
      partition?: string;
      region?: string;
      externalId?: string;
      webIdentityTokenFile?: string;
    };
    auth: {
      method: 'account';
      accountId?: string;
      mainAccount?: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
      profile?: string;
      roleName?: string;
      partition?: string;
      region?: string;
      externalId?: string;
      webIdentityTokenFile?: string;
    };
  };
  'aws-codecommit': {
    query: HostQuery;
    config: { host: string; region: string };
    auth: AccessKey | AssumeRole;
  };
  'aws-s3': {
    query: HostQuery;
    config: { host: string; endpoint?: string; s3ForcePathStyle?: boolean };
    auth: None | AccessKey | AssumeRole;
  };
  'azure-blob-storage': {
    query: HostQuery;
    config: {
      host: string;
      accountName?: string;
      endpoint?: string;
      endpointSuffix?: string;
    };
    auth:
      | None
      | { method: 'accountKey'; accountKey: string }
      | { method: 'sasToken'; sasToken: string }
      | { method: 'connectionString'; connectionString: string }
      | {
          method: 'aadCredential';
          clientId: string;
          tenantId: string;
          clientSecret: string;
        };
  };
  azure: {
    query: HostQuery;
    config: { host: string };
    auth:
      | None
      | { method: 'pat'; personalAccessToken: string; orgs?: string[] }
      | {
          method: 'clientCredentials';
          clientId: string;
          clientSecret: string;
          tenantId: string;
          orgs?: string[];
        }
      | {
          method: 'managedIdentity';
          clientId: string;
          tenantId?: string;
          managedIdentityClientId?: string;
          orgs?: string[];
        };
  };
  'bitbucket-cloud': {
    query: HostQuery;
    config: { host: string };
    auth:
      | None
      | { method: 'token'; username: string; token: string }
      | { method: 'appPassword'; username: string; appPassword: string }
      | { method: 'oauth'; clientId: string; clientSecret: string };
  };
  'bitbucket-server': {
    query: HostQuery;
    config: { host: string; apiBaseUrl?: string };
    auth: None | Token | Basic;
  };
  gerrit: {
    query: HostQuery;
    config: {
      host: string;
      gitilesBaseUrl: string;
      baseUrl?: string;
      cloneUrl?: string;
    };
    auth: None | Basic;
  };
  gitea: {
    query: HostQuery;
    config: { host: string; baseUrl?: string };
    auth: None | Basic;
  };
  github: {
    query: HostQuery;
    config: { host: string; apiBaseUrl?: string; rawBaseUrl?: string };
    auth:
      | None
      | Token
      | {
          method: 'app';
          appId: string | number;
          privateKey: string;
          clientId: string;
          clientSecret: string;
          webhookSecret?: string;
          publicAccess?: boolean;
          orgs?: string[];
        };
  };
  gitlab: {
    query: HostQuery;
    config: { host: string; apiBaseUrl?: string; baseUrl?: string };
    auth: None | Token;
  };
  'google-gcs': {
    query: HostQuery;
    config: { host: string };
    auth:
      | None
      | { method: 'serviceAccount'; clientEmail: string; privateKey: string };
  };
  harness: {
    query: HostQuery;
    config: { host: string };
    auth: { method: 'token'; token: string; apiKey?: string };
  };
}

/**
 * The id of a built-in connection type, such as `github` or `aws-s3`.
 *
 * @alpha
 */
export type ConnectionType = keyof ConnectionTypeShapes;

/**
 * The auth methods a connection type supports, such as `'none' | 'token'`.
 *
 * @alpha
 */
export type ConnectionAuthMethod<TType extends ConnectionType> =
  ConnectionTypeShapes[TType]['auth']['method'];

/**
 * A connection as `find` returns it: the type's config fields, its title,
 * and the one auth entry chosen for the query, with that entry's title.
 *
 * @alpha
 */
export type Connection<
  TType extends ConnectionType = ConnectionType,
  TAuthMethod extends string = string,
> = {
  type: TType;
  title: string;
  auth: ConnectionAuth<TType, TAuthMethod>;
} & ConnectionTypeShapes[TType]['config'];

/**
 * One auth entry of a connection, narrowed to the methods asked for.
 *
 * @alpha
 */
export type ConnectionAuth<
  TType extends ConnectionType,
  TAuthMethod extends string = string,
> = (string extends TAuthMethod
  ? ConnectionTypeShapes[TType]['auth']
  : Extract<ConnectionTypeShapes[TType]['auth'], { method: TAuthMethod }>) & {
  title: string;
};

/**
 * Looks up the connections to external systems (code hosts, clouds) that
 * configuration gives the calling plugin, under `connections` or converted
 * from the older `integrations` and `aws` keys.
 *
 * @remarks
 * A plugin or module may only look up connection types it declared with
 * {@link declareConnection}; other types are refused with an `InputError`.
 *
 * @alpha
 */
export interface ConnectionsService {
  /**
   * Finds the connection for a query and chooses an auth entry among
   * `authMethods`.
   *
   * @throws `NotFoundError` when no connection matches the query,
   * `NotAllowedError` when the connection offers the plugin no auth entry
   * or the chosen one is not among `authMethods`, `InputError` when the
   * query is invalid or the type was not declared.
   */
  find<
    TType extends ConnectionType,
    TAuthMethod extends ConnectionAuthMethod<TType>,
  >(options: {
    type: TType;
    query: ConnectionTypeShapes[TType]['query'];
    authMethods: readonly [TAuthMethod, ...TAuthMethod[]];
  }): Promise<Connection<TType, TAuthMethod>>;
  /**
   * Finds the connection for a query, without credentials.
   *
   * @throws `NotFoundError` when no connection matches the query,
   * `InputError` when the query is invalid or the type was not declared.
   */
  find<TType extends ConnectionType>(options: {
    type: TType;
    query: ConnectionTypeShapes[TType]['query'];
  }): Promise<Omit<Connection<TType>, 'auth'>>;
}

/**
 * The plugin's view of the configured connections, with Backstage's id
 * `alpha.core.connections`. Declare each type the feature uses with
 * {@link declareConnection} in `register`.
 *
 * @example
 * ```ts
 * const github = await connections.find({
 *   type: 'github',
 *   query: { url: 'https://github.com/acme/web' },
 *   authMethods: ['token', 'app'],
 * });
 * ```
 * @alpha
 */
export const connectionsServiceRef = createServiceRef<ConnectionsService>({
  id: 'alpha.core.connections',
  scope: 'plugin',
});
