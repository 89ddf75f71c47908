import type {
  ConnectionLookupStrategy,
  ConnectionType,
} from '@plinth/backend-plugin-api/alpha';
import { InputError } from '@plinth/errors';
import { z } from 'zod';

/** An auth entry after validation: its method, title and fields. */
export type AuthEntry = {
  method: string;
  title?: string;
  match?: { plugins: string[] };
  [field: string]: unknown;
};

/**
 * A connection type as the service works with it: the same types, fields,
 * titles and auth choice as Backstage's `connectionTypes`.
 */
export interface ConnectionTypeSpec {
  type: ConnectionType;
  title: string;
  cardinality: 'singleton' | 'multiton';
  lookupStrategy: ConnectionLookupStrategy;
  /** Connection-level fields; unknown fields are refused. */
  config: z.ZodType<Record<string, unknown>>;
  authMethods: ReadonlyArray<{
    method: string;
    title: string;
    config: z.ZodType<Record<string, unknown>>;
  }>;
  /** Picks the auth entry for a query; by default the first one. */
  matchAuth?(
    auth: AuthEntry[],
    query: Record<string, unknown>,
  ): AuthEntry | undefined;
  /** Rules across the connection and its auth entries; returns problems. */
  validate?(config: Record<string, unknown>, auth: AuthEntry[]): string[];
}

const str = z.string();
const opt = z.string().optional();
const orgs = z.array(z.string()).optional();
const none = { method: 'none', title: 'None', config: z.object({}) };
const token = {
  method: 'token',
  title: 'Token',
  config: z.object({ token: str }),
};
const basic = {
  method: 'basic',
  title: 'Basic',
  config: z.object({ username: str, password: str }),
};
const accessKey = {
  method: 'accessKey',
  title: 'Access Key',
  config: z.object({ accessKeyId: str, secretAccessKey: str }),
};
const assumeRole = {
  method: 'assumeRole',
  title: 'Assume Role',
  config: z.object({ roleArn: str, externalId: opt }),
};

function hostType(
  type: ConnectionType,
  title: string,
  fields: Record<string, z.ZodType>,
  authMethods: ConnectionTypeSpec['authMethods'],
  matchAuth?: ConnectionTypeSpec['matchAuth'],
): ConnectionTypeSpec {
  return {
    type,
    title,
    cardinality: 'multiton',
    lookupStrategy: 'host',
    config: z.strictObject({ host: str, ...fields }),
    authMethods,
    matchAuth,
  };
}

/** Each rule holds when its predicate is false; the message says why not. */
type Rule = [(v: Record<string, unknown>) => unknown, string];
const needsRole = (field: string, except?: string): Rule => [
  v => v[field] && !v.roleName && !(except && v[except]),
  `${field} requires a roleName to be provided`,
];
const exclusive = (a: string, b: string, message: string): Rule => [
  v => v[a] && v[b],
  message,
];
const noWebIdentityExternalId = exclusive(
  'webIdentityTokenFile',
  'externalId',
  'webIdentityTokenFile and externalId are mutually exclusive; AssumeRoleWithWebIdentity does not support external IDs',
);

function withRules<T extends z.ZodType<Record<string, unknown>>>(
  schema: T,
  rules: Rule[],
): z.ZodType<Record<string, unknown>> {
  return schema.superRefine((value, ctx) => {
    for (const [broken, message] of rules) {
      if (broken(value)) ctx.addIssue({ code: 'custom', message });
    }
  });
}

const awsAccount = z.object({
  accountId: opt,
  mainAccount: z.boolean().optional(),
  accessKeyId: opt,
  secretAccessKey: opt,
  profile: opt,
  roleName: opt,
  partition: opt,
  region: opt,
  externalId: opt,
  webIdentityTokenFile: opt,
});

function accountIdOf(query: Record<string, unknown>): string | undefined {
  if (typeof query.accountId === 'string') return query.accountId;
  if (typeof query.arn !== 'string') return undefined;
  const parts = query.arn.split(':');
  // arn:partition:service:region:account-id:resource
  if (parts.length < 6 || parts[0] !== 'arn') {
    throw new InputError(
      `Invalid ARN ${JSON.stringify(query.arn)} in the query of connection type 'aws'; expected arn:<partition>:<service>:<region>:<account-id>:<resource>.`,
    );
  }
  return parts[4] || undefined;
}

const aws: ConnectionTypeSpec = {
  type: 'aws',
  title: 'AWS',
  cardinality: 'singleton',
  lookupStrategy: 'aws',
  config: withRules(
    z.strictObject({
      roleName: opt,
      partition: opt,
      region: opt,
      externalId: opt,
      webIdentityTokenFile: opt,
    }),
    [
      needsRole('partition'),
      needsRole('region'),
      needsRole('externalId'),
      needsRole('webIdentityTokenFile'),
      noWebIdentityExternalId,
    ],
  ),
  authMethods: [
    {
      method: 'account',
      title: 'Account',
      config: withRules(awsAccount, [
        [
          v => !v.accountId && !v.mainAccount,
          'accountId is required unless mainAccount is set',
        ],
        [
          v => v.mainAccount && v.roleName,
          'the mainAccount entry provides the credentials used to assume roles and cannot itself declare a roleName',
        ],
        [
          v => !v.accessKeyId !== !v.secretAccessKey,
          'accessKeyId and secretAccessKey must be specified together, but only one was provided',
        ],
        exclusive(
          'profile',
          'accessKeyId',
          'profile and static credentials are mutually exclusive, but both were provided',
        ),
        exclusive(
          'profile',
          'roleName',
          'profile and roleName are mutually exclusive, but both were provided',
        ),
        needsRole('externalId'),
        needsRole('region', 'mainAccount'),
        needsRole('partition'),
        needsRole('webIdentityTokenFile'),
        exclusive(
          'webIdentityTokenFile',
          'accessKeyId',
          'webIdentityTokenFile and static credentials are mutually exclusive, but both were provided',
        ),
        exclusive(
          'webIdentityTokenFile',
          'profile',
          'webIdentityTokenFile and profile are mutually exclusive, but both were provided',
        ),
        noWebIdentityExternalId,
      ]),
    },
  ],
  matchAuth(auth, query) {
    const accountId = accountIdOf(query);
    const account = accountId
      ? auth.find(a => a.accountId === accountId)
      : undefined;
    return account ?? auth.find(a => a.mainAccount);
  },
  validate(config, auth) {
    const problems: string[] = [];
    const ids = auth.flatMap(a =>
      typeof a.accountId === 'string' ? [a.accountId] : [],
    );
    for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
      problems.push(
        `Multiple auth entries for AWS account "${id}", but only one is allowed`,
      );
    }
    const mainAccounts = auth.filter(a => a.mainAccount).length;
    if (mainAccounts > 1) {
      problems.push(
        'Multiple auth entries are marked as mainAccount, but only one is allowed',
      );
    }
    if (config.roleName && mainAccounts === 0) {
      problems.push(
        'A connection-level roleName requires an auth entry marked as mainAccount to provide the credentials for assuming it',
      );
    }
    return problems;
  },
};

/**
 * Chooses among GitHub auth entries as Backstage does: an app installed for
 * the URL's organisation, else an app for every organisation, else the only
 * app, else a token, else anonymous access.
 */
function matchGithubAuth(auth: AuthEntry[], query: Record<string, unknown>) {
  const org = new URL(String(query.url)).pathname
    .split('/')
    .filter(Boolean)[0]
    ?.toLowerCase();
  const apps = auth.filter(a => a.method === 'app');
  const orgsOf = (a: AuthEntry) => (a.orgs as string[] | undefined) ?? [];
  return (
    (org ? apps.find(a => orgsOf(a).includes(org)) : undefined) ??
    apps.find(a => orgsOf(a).length === 0) ??
    (apps.length === 1 ? apps[0] : undefined) ??
    auth.find(a => a.method === 'token') ??
    auth.find(a => a.method === 'none')
  );
}

const specs: ConnectionTypeSpec[] = [
  aws,
  hostType('aws-codecommit', 'AWS CodeCommit', { region: str }, [
    accessKey,
    assumeRole,
  ]),
  hostType(
    'aws-s3',
    'AWS S3',
    { endpoint: opt, s3ForcePathStyle: z.boolean().optional() },
    [none, accessKey, assumeRole],
  ),
  hostType(
    'azure-blob-storage',
    'Azure Blob Storage',
    { accountName: opt, endpoint: opt, endpointSuffix: opt },
    [
      none,
      {
        method: 'accountKey',
        title: 'Account Key',
        config: z.object({ accountKey: str }),
      },
      {
        method: 'sasToken',
        title: 'SAS Token',
        config: z.object({ sasToken: str }),
      },
      {
        method: 'connectionString',
        title: 'Connection String',
        config: z.object({ connectionString: str }),
      },
      {
        method: 'aadCredential',
        title: 'AAD Credential',
        config: z.object({ clientId: str, tenantId: str, clientSecret: str }),
      },
    ],
  ),
  hostType('azure', 'Azure DevOps', {}, [
    none,
    {
      method: 'pat',
      title: 'Personal Access Token',
      config: z.object({ personalAccessToken: str, orgs }),
    },
    {
      method: 'clientCredentials',
      title: 'Client Credentials',
      config: z.object({
        clientId: str,
        clientSecret: str,
        tenantId: str,
        orgs,
      }),
    },
    {
      method: 'managedIdentity',
      title: 'Managed Identity',
      config: z.object({
        clientId: str,
        tenantId: opt,
        managedIdentityClientId: opt,
        orgs,
      }),
    },
  ]),
  hostType('bitbucket-cloud', 'Bitbucket Cloud', {}, [
    none,
    {
      method: 'token',
      title: 'Token',
      config: z.object({ username: str, token: str }),
    },
    {
      method: 'appPassword',
      title: 'App Password',
      config: z.object({ username: str, appPassword: str }),
    },
    {
      method: 'oauth',
      title: 'OAuth',
      config: z.object({ clientId: str, clientSecret: str }),
    },
  ]),
  hostType('bitbucket-server', 'Bitbucket Server', { apiBaseUrl: opt }, [
    none,
    token,
    basic,
  ]),
  hostType(
    'gerrit',
    'Gerrit',
    { gitilesBaseUrl: str, baseUrl: opt, cloneUrl: opt },
    [none, basic],
  ),
  hostType('gitea', 'Gitea', { baseUrl: opt }, [none, basic]),
  hostType(
    'github',
    'GitHub',
    { apiBaseUrl: opt, rawBaseUrl: opt },
    [
      none,
      token,
      {
        method: 'app',
        title: 'GitHub App',
        config: z.object({
          appId: z.union([z.number(), z.string()]),
          privateKey: str,
          clientId: str,
          clientSecret: str,
          webhookSecret: opt,
          publicAccess: z.boolean().optional(),
          orgs,
        }),
      },
    ],
    matchGithubAuth,
  ),
  hostType('gitlab', 'GitLab', { apiBaseUrl: opt, baseUrl: opt }, [
    none,
    token,
  ]),
  hostType('google-gcs', 'Google Cloud Storage', {}, [
    none,
    {
      method: 'serviceAccount',
      title: 'Service Account',
      config: z.object({ clientEmail: str, privateKey: str }),
    },
  ]),
  hostType('harness', 'Harness', {}, [
    {
      method: 'token',
      title: 'Token',
      config: z.object({ token: str, apiKey: opt }),
    },
  ]),
];

/** The built-in connection types by id. */
export const connectionTypeSpecs: ReadonlyMap<string, ConnectionTypeSpec> =
  new Map(specs.map(spec => [spec.type, spec]));

/** The field that tells connections of a type apart, if any. */
export function identityOf(
  spec: ConnectionTypeSpec,
  connection: Record<string, unknown>,
): string | undefined {
  if (spec.lookupStrategy !== 'host') return undefined;
  return typeof connection.host === 'string' ? connection.host : undefined;
}
