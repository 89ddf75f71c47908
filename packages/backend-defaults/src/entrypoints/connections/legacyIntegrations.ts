import type { Config } from '@plinth/backend-plugin-api';
import { describeValue, toError } from '@plinth/errors';

/** A connection before validation, and where in config it came from. */
export interface RawConnection {
  /** Such as `connections[2]` or `integrations.github[0]`. */
  key: string;
  legacy: boolean;
  value: Record<string, unknown>;
  /** Why the entry could not be converted, if it could not. */
  problem?: string;
}

type Entry = Record<string, unknown>;

/** Copies the fields that are set, so absent keys stay absent. */
function defined(input: Entry): Entry {
  return Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined),
  );
}

const orNone = (auth: Entry[]) =>
  auth.length > 0 ? auth : [{ method: 'none' }];

const both = (e: Entry, a: string, b: string) =>
  e[a] !== undefined && e[b] !== undefined;

function hostOf(endpoint: unknown, fallback: string): unknown {
  if (typeof endpoint !== 'string') return fallback;
  try {
    return new URL(endpoint).host;
  } catch {
    throw new Error(
      `endpoint ${JSON.stringify(endpoint)} is not a valid URL, such as https://s3.example.com`,
    );
  }
}

function awsKeys(e: Entry): Entry[] {
  const auth: Entry[] = [];
  if (both(e, 'accessKeyId', 'secretAccessKey')) {
    auth.push({
      method: 'accessKey',
      accessKeyId: e.accessKeyId,
      secretAccessKey: e.secretAccessKey,
    });
  }
  if (e.roleArn !== undefined) {
    auth.push(
      defined({
        method: 'assumeRole',
        roleArn: e.roleArn,
        externalId: e.externalId,
      }),
    );
  }
  return auth;
}

/**
 * How each `integrations.<key>` entry becomes a connection, the same
 * conversion as Backstage's, so that existing integrations config keeps
 * working without a `connections` section.
 */
const converters: Record<string, (e: Entry) => Entry | undefined> = {
  github: e =>
    defined({
      type: 'github',
      host: e.host ?? 'github.com',
      apiBaseUrl: e.apiBaseUrl,
      rawBaseUrl: e.rawBaseUrl,
      auth: orNone([
        ...(e.token !== undefined ? [{ method: 'token', token: e.token }] : []),
        ...((Array.isArray(e.apps) ? e.apps : []) as Entry[]).map(app =>
          defined({
            method: 'app',
            appId: app.appId,
            privateKey: app.privateKey,
            clientId: app.clientId,
            clientSecret: app.clientSecret,
            webhookSecret: app.webhookSecret,
            orgs: app.allowedInstallationOwners,
            publicAccess: app.publicAccess,
          }),
        ),
      ]),
    }),
  gitlab: e =>
    defined({
      type: 'gitlab',
      host: e.host,
      apiBaseUrl: e.apiBaseUrl,
      baseUrl: e.baseUrl,
      auth: orNone(
        e.token !== undefined ? [{ method: 'token', token: e.token }] : [],
      ),
    }),
  azure: e =>
    defined({
      type: 'azure',
      host: e.host ?? 'dev.azure.com',
      auth: orNone(
        (
          (Array.isArray(e.credentials) ? e.credentials : []) as Entry[]
        ).flatMap(c => {
          const orgs = c.organizations;
          if (c.personalAccessToken !== undefined) {
            return [
              defined({
                method: 'pat',
                personalAccessToken: c.personalAccessToken,
                orgs,
              }),
            ];
          }
          if (c.clientSecret !== undefined) {
            return [
              defined({
                method: 'clientCredentials',
                clientId: c.clientId,
                clientSecret: c.clientSecret,
                tenantId: c.tenantId,
                orgs,
              }),
            ];
          }
          if (c.clientId !== undefined) {
            return [
              defined({
                method: 'managedIdentity',
                clientId: c.clientId,
                tenantId: c.tenantId,
                managedIdentityClientId: c.managedIdentityClientId,
                orgs,
              }),
            ];
          }
          return [];
        }),
      ),
    }),
  bitbucketCloud: e => ({
    type: 'bitbucket-cloud',
    host: 'bitbucket.org',
    auth: orNone([
      ...(both(e, 'username', 'token')
        ? [{ method: 'token', username: e.username, token: e.token }]
        : []),
      ...(both(e, 'username', 'appPassword')
        ? [
            {
              method: 'appPassword',
              username: e.username,
              appPassword: e.appPassword,
            },
          ]
        : []),
      ...(both(e, 'clientId', 'clientSecret')
        ? [
            {
              method: 'oauth',
              clientId: e.clientId,
              clientSecret: e.clientSecret,
            },
          ]
        : []),
    ]),
  }),
  bitbucketServer: e =>
    defined({
      type: 'bitbucket-server',
      host: e.host,
      apiBaseUrl: e.apiBaseUrl,
      auth: orNone([
        ...(e.token !== undefined ? [{ method: 'token', token: e.token }] : []),
        ...(both(e, 'username', 'password')
          ? [{ method: 'basic', username: e.username, password: e.password }]
          : []),
      ]),
    }),
  gerrit: e =>
    defined({
      type: 'gerrit',
      host: e.host,
      baseUrl: e.baseUrl,
      gitilesBaseUrl: e.gitilesBaseUrl,
      cloneUrl: e.cloneUrl,
      auth: orNone(
        both(e, 'username', 'password')
          ? [{ method: 'basic', username: e.username, password: e.password }]
          : [],
      ),
    }),
  gitea: e =>
    defined({
      type: 'gitea',
      host: e.host,
      baseUrl: e.baseUrl,
      auth: orNone(
        both(e, 'username', 'password')
          ? [{ method: 'basic', username: e.username, password: e.password }]
          : [],
      ),
    }),
  // A harness entry without a token gives no connection, as in Backstage.
  harness: e =>
    e.token === undefined
      ? undefined
      : defined({
          type: 'harness',
          host: e.host,
          auth: [
            defined({ method: 'token', token: e.token, apiKey: e.apiKey }),
          ],
        }),
  awsCodeCommit: e => ({
    type: 'aws-codecommit',
    host: e.host ?? `${String(e.region)}.console.aws.amazon.com`,
    region: e.region,
    auth: awsKeys(e),
  }),
  awsS3: e =>
    defined({
      type: 'aws-s3',
      host: hostOf(e.endpoint, 'amazonaws.com'),
      endpoint: e.endpoint,
      s3ForcePathStyle: e.s3ForcePathStyle,
      auth: orNone(awsKeys(e)),
    }),
  azureBlobStorage: e => {
    const aad = e.aadCredential as Entry | undefined;
    return defined({
      type: 'azure-blob-storage',
      host: hostOf(
        e.endpoint,
        (e.host as string | undefined) ?? 'blob.core.windows.net',
      ),
      accountName: e.accountName,
      endpoint: e.endpoint,
      endpointSuffix: e.endpointSuffix,
      auth: orNone([
        ...(e.accountKey !== undefined
          ? [{ method: 'accountKey', accountKey: e.accountKey }]
          : []),
        ...(e.sasToken !== undefined
          ? [{ method: 'sasToken', sasToken: e.sasToken }]
          : []),
        ...(e.connectionString !== undefined
          ? [
              {
                method: 'connectionString',
                connectionString: e.connectionString,
              },
            ]
          : []),
        ...(aad
          ? [
              {
                method: 'aadCredential',
                clientId: aad.clientId,
                tenantId: aad.tenantId,
                clientSecret: aad.clientSecret,
              },
            ]
          : []),
      ]),
    });
  },
};

function googleGcs(e: Entry): Entry {
  const auth = both(e, 'clientEmail', 'privateKey')
    ? [
        {
          method: 'serviceAccount',
          clientEmail: e.clientEmail,
          // Single-line keys from environment variables carry escaped newlines.
          privateKey: String(e.privateKey).split('\\n').join('\n'),
        },
      ]
    : [];
  return {
    type: 'google-gcs',
    host: 'storage.cloud.google.com',
    auth: orNone(auth),
  };
}

function aws(e: Entry): Entry {
  const seen = new Set<unknown>();
  const accounts = ((Array.isArray(e.accounts) ? e.accounts : []) as Entry[])
    .filter(a => {
      // Later entries for an account are ignored, as the legacy reader did.
      if (a.accountId === undefined) return true;
      if (seen.has(a.accountId)) return false;
      seen.add(a.accountId);
      return true;
    })
    .map(a =>
      defined({
        method: 'account',
        ...Object.fromEntries(
          [
            'accountId',
            'accessKeyId',
            'secretAccessKey',
            'profile',
            'roleName',
            'partition',
            'region',
            'externalId',
            'webIdentityTokenFile',
          ].map(k => [k, a[k]]),
        ),
      }),
    );
  const main = (e.mainAccount ?? {}) as Entry;
  const defaults = (e.accountDefaults ?? {}) as Entry;
  return defined({
    type: 'aws',
    roleName: defaults.roleName,
    partition: defaults.partition,
    region: defaults.region,
    externalId: defaults.externalId,
    webIdentityTokenFile: defaults.webIdentityTokenFile,
    auth: [
      ...accounts,
      defined({
        method: 'account',
        mainAccount: true,
        accessKeyId: main.accessKeyId,
        secretAccessKey: main.secretAccessKey,
        profile: main.profile,
        region: main.region,
      }),
    ],
  });
}

const isEntry = (v: unknown): v is Entry =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Converts the top-level `aws` key and the `integrations` section into
 * connections, in Backstage's order.
 */
export function readLegacyConnections(config: Config): RawConnection[] {
  const result: RawConnection[] = [];
  const awsConfig = config.getOptional('aws');
  if (isEntry(awsConfig)) {
    result.push({ key: 'aws', legacy: true, value: aws(awsConfig) });
  }
  const integrations = config.getOptional('integrations');
  if (!isEntry(integrations)) {
    return result;
  }
  for (const [name, convert] of Object.entries(converters)) {
    const entries = integrations[name];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      const key = `integrations.${name}[${index}]`;
      if (!isEntry(entry)) {
        const problem = `expected an object, got ${describeValue(entry)}`;
        result.push({ key, legacy: true, value: {}, problem });
        return;
      }
      try {
        const value = convert(entry);
        if (value) {
          result.push({ key, legacy: true, value });
        }
      } catch (error) {
        const problem = toError(error).message;
        result.push({ key, legacy: true, value: {}, problem });
      }
    });
  }
  if (isEntry(integrations.googleGcs)) {
    result.push({
      key: 'integrations.googleGcs',
      legacy: true,
      value: googleGcs(integrations.googleGcs),
    });
  }
  return result;
}
