import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { TestDatabases } from '@plinth/backend-test-utils';
import type { Response } from 'supertest';
import { bodyCases } from './cases/bodies';
import { costCases } from './cases/cost';
import { credentialCases } from './cases/credentials';
import { localFileCases } from './cases/localFiles';
import { networkCases } from './cases/network';
import { prototypeCases } from './cases/prototypes';
import { secretCases } from './cases/secrets';
import { serverErrorCases } from './cases/serverErrors';
import { tokenCases } from './cases/tokens';
import type { HostileCase } from './hostileRequests';
import {
  canaryForms,
  startHostileBackend,
  type HostileBackend,
} from './hostileBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

/** What a hostile caller tries, by what it is after. */
const hostileCases: Array<[string, HostileCase[]]> = [
  ['reading local files through the catalog', localFileCases],
  ['putting credentials into location URLs', credentialCases],
  ['reaching a prototype', prototypeCases],
  ['spending the database', costCases],
  ['sending bodies without credentials', bodyCases],
  ['making the catalog answer 500', serverErrorCases],
  ['reading secrets back from responses and logs', secretCases],
  ['reaching inside the network', networkCases],
  ['forging tokens', tokenCases],
];

/** What every response of the suite is held to, whatever its case. */
function expectNothingLeaked(response: Response): void {
  const text = `${JSON.stringify(response.headers)}\n${response.text}`;
  for (const form of canaryForms()) {
    expect(text).not.toContain(form);
  }
}

interface SerializedError {
  message?: string;
  cause?: SerializedError;
}

/** The first error of a response, in either of the catalog's shapes. */
function errorOf(response: Response): SerializedError | undefined {
  const body = response.body as {
    error?: SerializedError;
    errors?: SerializedError[];
  };
  return body?.error ?? body?.errors?.[0];
}

function messageOf(response: Response): string | undefined {
  return errorOf(response)?.message;
}

/** The message of the innermost cause: why a request was refused. */
function reasonOf(response: Response): string | undefined {
  let error = errorOf(response);
  while (error?.cause) {
    error = error.cause;
  }
  return error?.message;
}

describe.each(databases.eachSupportedId())(
  'the catalog, to a hostile caller with a valid token, on %s',
  databaseId => {
    let backend: HostileBackend;
    let files: Map<string, string>;
    const prototypeNames = Object.getOwnPropertyNames(Object.prototype);

    beforeAll(async () => {
      backend = await startHostileBackend(databases, databaseId);
      await waitForEntity(backend, 'component:default/search');
      files = hashFiles(backend.repo);
    });

    afterAll(() => backend.stop());

    describe.each(hostileCases)('%s', (_group, cases) => {
      it.each(cases.map(c => [c.name, c] as const))(
        '%s',
        async (_name, hostile) => {
          const response = await hostile.send(backend);
          expectNothingLeaked(response);
          expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(
            prototypeNames,
          );
          const expected = (value: HostileCase['message']): unknown => {
            const resolved =
              typeof value === 'function' ? value(backend) : value;
            return resolved instanceof RegExp
              ? (expect.stringMatching(resolved) as unknown)
              : resolved;
          };
          expect({
            status: response.status,
            message: messageOf(response),
            ...(hostile.reason !== undefined && {
              reason: reasonOf(response),
            }),
          }).toEqual({
            status: hostile.status,
            message: expected(hostile.message),
            ...(hostile.reason !== undefined && {
              reason: expected(hostile.reason),
            }),
          });
        },
      );
    });

    it('writes no secret to the log, in any form', () => {
      const log = backend.logs().join('');
      for (const form of canaryForms()) {
        expect(log).not.toContain(form);
      }
    });

    it('changes no file of the repository it runs in', () => {
      expect(hashFiles(backend.repo)).toEqual(files);
    });

    it('logs none of the refused requests as a server error', () => {
      const errors = backend
        .logs()
        .map(line => JSON.parse(line) as { level: string; message: string })
        .filter(line => line.level === 'error');
      expect(errors).toEqual([]);
    });

    it('still serves every entity it had', async () => {
      expect(await componentNames(backend)).toEqual([
        'cart',
        'checkout',
        'search',
      ]);
    });

    it('still ingests a change to its config location', async () => {
      appendFileSync(
        backend.catalogFile,
        `---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: late\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`,
      );
      const locations = await backend.request.get(
        '/api/catalog/entities?filter=kind=location&fields=metadata.name',
      );
      for (const { metadata } of locations.body as Array<{
        metadata: { name: string };
      }>) {
        await backend.request
          .post('/api/catalog/refresh')
          .send({ entityRef: `location:default/${metadata.name}` })
          .expect(200);
      }
      await waitForEntity(backend, 'component:default/late');
      expect(await componentNames(backend)).toEqual([
        'cart',
        'checkout',
        'late',
        'search',
      ]);
    });
  },
);

async function componentNames(backend: HostileBackend): Promise<string[]> {
  const list = await backend.request
    .get('/api/catalog/entities?filter=kind=component&fields=metadata.name')
    .expect(200);
  return (list.body as Array<{ metadata: { name: string } }>)
    .map(e => e.metadata.name)
    .sort();
}

/** Waits until the catalog serves the entity, as ingestion is asynchronous. */
async function waitForEntity(backend: HostileBackend, ref: string) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await backend.request.get(
      `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    );
    if (response.status === 200) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog did not serve '${ref}' within 30 s; the log says:\n${backend.logs().join('')}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** A digest of every file below `dir`, by path, links included as links. */
function hashFiles(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const visit = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        visit(full);
      } else if (entry.isFile() && statSync(full).isFile()) {
        hashes.set(
          path.relative(dir, full),
          createHash('sha256').update(readFileSync(full)).digest('hex'),
        );
      } else {
        hashes.set(path.relative(dir, full), 'link');
      }
    }
  };
  visit(dir);
  return hashes;
}
