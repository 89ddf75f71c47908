import {
  mkdtempSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http, { type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  authServiceFactory,
  DefaultRootConfigService,
  httpAuthServiceFactory,
  loggerServiceFactory,
  readConfigSecrets,
  UrlReaders,
  WinstonLogger,
} from '@plinth/backend-defaults';
import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import {
  startTestBackend,
  type TestDatabaseId,
  type TestDatabases,
} from '@plinth/backend-test-utils';
import supertest from 'supertest';
import winston from 'winston';
import { stringify } from 'yaml';

const repositoryRoot = path.resolve(__dirname, '../..');

/**
 * The secrets a hostile caller must never see, in a response or a log
 * line: the signing key (a config secret) and the content of files that
 * the catalog must never read. Each has characters that URL encoding and
 * JSON escaping change, so their encoded forms differ from them.
 */
export const canaries = {
  signingKey: 'Canary/Key+"signing"=0123456789abcdefghijKLMNOPQRST',
  developmentToken: 'Canary/DevToken+"dev"=0123456789abcdefghijKLMNOP',
  gitConfig: 'Canary/GitConfig+"git"=0123456789abcdefghijKLMNOP',
  hiddenFile: 'Canary/Hidden+"hidden"=0123456789abcdefghijKLMNOP',
  configInCatalog: 'Canary/Catalog+"config"=0123456789abcdefghijKLM',
  outsideRoots: 'Canary/Outside+"outside"=0123456789abcdefghijKLM',
} as const;

/** Every form in which a canary could leak: whole, cut short, encoded. */
export function canaryForms(): string[] {
  return Object.values(canaries).flatMap(canary => [
    canary,
    canary.slice(0, 30),
    encodeURIComponent(canary),
    encodeURIComponent(canary).toLowerCase(),
    JSON.stringify(canary).slice(1, -1),
    Buffer.from(canary).toString('base64'),
  ]);
}

/** The static token of the hostile caller: any reader of the catalog. */
export const attackerToken = 'attacker-token-with-read-access-0123456789';

/**
 * Host names the URL reader's fake DNS answers: each resolves to an address
 * that must never be reached through a wildcard rule.
 */
export const wildcardHosts: Record<string, string> = {
  'nat64.wild.test': '64:ff9b::7f00:1',
  'nat64-local.wild.test': '64:ff9b:1::a00:1',
  'sixtofour.wild.test': '2002:a00:1::1',
  'compat.wild.test': '::7f00:1',
  'mapped.wild.test': '::ffff:a9fe:a9fe',
  'teredo.wild.test': '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  'benchmark.wild.test': '198.18.0.1',
  'metadata.wild.test': '169.254.169.254',
  'ula.wild.test': 'fd00::1',
};

/** A catalog file of the config location, with entities of every sort. */
const catalogYaml = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a' },
    spec: { type: 'team', children: [] },
  },
  ...['cart', 'checkout', 'search'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, description: `The ${name} service` },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  })),
]
  .map(entity => stringify(entity))
  .join('---\n');

/** A backend as a hostile caller meets it, and what it takes to judge it. */
export interface HostileBackend {
  /** Requests to the backend, with the attacker's token unless overridden. */
  request: supertest.Agent;
  /** The backend's HTTP server, for requests without the attacker's token. */
  server: Server;
  /** Every log line written so far, JSON. */
  logs(): string[];
  /** The temporary repository the backend runs in. */
  repo: string;
  /** The base URL of an HTTP server that the reading rules allow. */
  allowedBase: string;
  /** The file that the config location reads. */
  catalogFile: string;
  /** Stops the backend and the allowed server, and removes the repository. */
  stop(): Promise<void>;
}

/**
 * Starts the catalog as a deployment runs it, in a temporary repository
 * holding secrets in every place an attacker would look: the signing key
 * in `app-config.local.yaml`, a development token in `.plinth/`, a git
 * config, a hidden file, a config file and a symbolic link beside the
 * catalog's own file. The core services are the real ones, apart from the
 * database (a test database of `databaseId`), the scheduler and lifecycle
 * (mocks), and DNS (answers for {@link wildcardHosts}).
 */
export async function startHostileBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<HostileBackend> {
  const repo = mkdtempSync(path.join(tmpdir(), 'plinth-hostile-'));
  const allowed = await startAllowedServer(repo);
  writeRepository(repo, allowed.base);
  const lines: string[] = [];
  const backend = await startTestBackend({
    features: [
      databases.factory(databaseId),
      createServiceFactory({
        service: coreServices.rootConfig,
        deps: {},
        factory: () =>
          DefaultRootConfigService.create({
            rootDir: repo,
            cwd: repo,
            argv: [],
            env: {},
            packageDir: path.join(repositoryRoot, 'packages/backend'),
          }),
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: { config: coreServices.rootConfig },
        factory: ({ config }) => {
          const logger = WinstonLogger.create({
            level: 'debug',
            format: 'json',
            transports: [
              new winston.transports.Stream({
                stream: new Writable({
                  write(chunk: Buffer, _encoding, done) {
                    lines.push(chunk.toString('utf8'));
                    done();
                  },
                }),
              }),
            ],
          });
          logger.addRedactions(readConfigSecrets(config));
          return logger;
        },
      }),
      loggerServiceFactory,
      authServiceFactory,
      httpAuthServiceFactory,
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
        },
        createRootContext: ({ config, logger }) =>
          UrlReaders.create({
            config,
            logger,
            rootDirectory: repo,
            lookup: async hostname => {
              const address = wildcardHosts[hostname];
              if (address !== undefined) {
                return [{ address, family: address.includes(':') ? 6 : 4 }];
              }
              if (hostname === 'paths.test') {
                return [{ address: '127.0.0.1', family: 4 }];
              }
              throw Object.assign(
                new Error(`getaddrinfo ENOTFOUND ${hostname}`),
                {
                  code: 'ENOTFOUND',
                },
              );
            },
          }),
        factory: (_deps, readers) => readers,
      }),
      import('@plinth/plugin-catalog-backend'),
    ],
  });
  const request = supertest.agent(backend.server);
  request.set('Authorization', `Bearer ${attackerToken}`);
  return {
    server: backend.server,
    async stop() {
      await backend.stop();
      await allowed.close();
      rmSync(repo, { recursive: true, force: true });
    },
    request,
    logs: () => [...lines],
    repo,
    allowedBase: allowed.base,
    catalogFile: path.join(repo, 'catalog', 'all.yaml'),
  };
}

function writeRepository(repo: string, allowedBase: string): void {
  const write = (relative: string, content: string) => {
    const file = path.join(repo, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  const allowedHost = new URL(allowedBase).host;
  write(
    'app-config.yaml',
    stringify({
      backend: {
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: attackerToken, subject: 'attacker' },
            },
          ],
        },
        reading: {
          allow: [
            { host: allowedHost },
            { host: '*.wild.test' },
            { host: 'paths.test', paths: ['/allowed'] },
          ],
        },
      },
      catalog: {
        rules: [
          {
            allow: [
              'Component',
              'System',
              'API',
              'Resource',
              'Location',
              'Domain',
              'Group',
              'User',
            ],
          },
        ],
        locations: [
          { type: 'file', target: path.join(repo, 'catalog', 'all.yaml') },
        ],
      },
    }),
  );
  write(
    'app-config.local.yaml',
    stringify({
      backend: { auth: { keys: [{ secret: canaries.signingKey }] } },
    }),
  );
  write('.plinth/dev-token', canaries.developmentToken);
  write('.git/config', `[remote "origin"]\n  url = ${canaries.gitConfig}\n`);
  write('secret.yaml', `token: ${canaries.outsideRoots}\n`);
  write('catalog/all.yaml', catalogYaml);
  write('catalog/.hidden.yaml', `token: ${canaries.hiddenFile}\n`);
  write(
    'catalog/app-config.extra.yaml',
    `token: ${canaries.configInCatalog}\n`,
  );
  symlinkSync(
    path.join(repo, 'app-config.local.yaml'),
    path.join(repo, 'catalog', 'linked.yaml'),
  );
}

/**
 * An HTTP server on loopback that the reading rules allow by its exact
 * address: catalog files with hostile content, and redirects elsewhere.
 */
async function startAllowedServer(
  repo: string,
): Promise<{ base: string; close(): Promise<void> }> {
  const files: Record<string, string> = {
    '/fine.yaml': stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'from-url' },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    }),
    '/file-targets.yaml': stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name: 'file-targets' },
      spec: {
        type: 'file',
        targets: [
          path.join(repo, 'app-config.local.yaml'),
          path.join(repo, 'catalog', 'all.yaml'),
        ],
      },
    }),
    '/file-url-targets.yaml': stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name: 'file-url-targets' },
      spec: {
        type: 'url',
        targets: [`file://${path.join(repo, 'app-config.local.yaml')}`],
      },
    }),
    '/file-placeholder.yaml': stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'file-placeholder' },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'team-a',
        definition: {
          $text: `file://${path.join(repo, 'app-config.local.yaml')}`,
        },
      },
    }),
    '/relative-placeholder.yaml': stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'relative-placeholder' },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'team-a',
        definition: { $text: '../../../../../app-config.local.yaml' },
      },
    }),
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/redirect-to-metadata') {
      res.writeHead(302, { Location: 'http://metadata.wild.test/latest' });
      res.end();
      return;
    }
    if (url.pathname === '/redirect-to-file') {
      res.writeHead(302, {
        Location: `file://${path.join(repo, 'app-config.local.yaml')}`,
      });
      res.end();
      return;
    }
    const content = files[url.pathname];
    res.writeHead(content === undefined ? 404 : 200, {
      'Content-Type': 'text/yaml',
    });
    res.end(content ?? 'not found');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
