import { MockUrlReader, TestDatabases } from '@plinth/backend-test-utils';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  base,
  callers,
  catalogFile,
  component,
  group,
  petstoreApi,
  startValidationBackend,
} from './validateEntitiesTestBackend.fixture';

// Stopping two catalogs with running engines can outlast the default 5 s
// of the after-all hook on a busy machine.
jest.setTimeout(60_000);

const databases = TestDatabases.create();

const route = '/api/catalog/validate-entities';

/** A YAML stream of the values, one document each. */
function toYaml(values: unknown[]): string {
  return values.map(value => JSON.stringify(value)).join('\n---\n');
}

/** The batch most tests send: one of each outcome. */
const batch = [
  group('team-a'),
  component(
    'petstore',
    { lifecycle: 'experimental' },
    { description: 'Sells pets' },
  ),
  component('checkout', { owner: 'team-b', dependsOn: ['component:cart'] }),
  component('cart', { owner: 'team-ghost' }),
];

describe('addValidationRoutes', () => {
  describe.each(databases.eachSupportedId())(
    'POST /validate-entities on %s',
    id => {
      let server: Server;
      const reader = new MockUrlReader();

      beforeAll(async () => {
        server = await startValidationBackend(databases, id, {
          reader,
          files: {
            [`${base}/petstore-v2.md`]: 'Confidential pet supplier list v2',
            [`${base}/owner.txt`]: 'hidden-team',
          },
          config: { backend: { http: { jsonBodyLimit: '16kb' } } },
        });
      }, 90_000);

      const post = (caller: keyof typeof callers = 'admin') =>
        request(server).post(route).set('authorization', callers[caller]);

      it('answers created, changed with a diff, unchanged and deleted for a JSON batch that stands for a location', async () => {
        const res = await post().send({
          entities: batch,
          location: { type: 'url', target: catalogFile },
        });
        expect(res.status).toBe(200);
        expect(res.body.summary).toEqual({
          created: 2,
          changed: 1,
          unchanged: 1,
          invalid: 0,
          deleted: 1,
        });
        expect(res.body.valid).toBe(true);
        const [team, petstore, checkout, cart] = res.body.documents;
        expect(team).toEqual({
          index: 0,
          entityRef: 'group:default/team-a',
          result: 'unchanged',
          errors: [],
          warnings: [],
        });
        expect(petstore).toMatchObject({
          index: 1,
          result: 'changed',
          diff: [
            { op: 'replace', path: '/spec/lifecycle', value: 'experimental' },
          ],
        });
        expect(checkout).toMatchObject({ result: 'created', warnings: [] });
        expect(checkout.diff).toBeUndefined();
        expect(cart.warnings).toEqual([
          {
            message:
              "Relation 'ownedBy' from 'spec.owner' points to 'group:default/team-ghost', which is neither in the batch nor in the catalog. The catalog keeps it as a dangling relation; add the entity, or fix the ref.",
            path: 'spec.owner',
          },
        ]);
        expect(res.body.deleted).toEqual([
          { entityRef: 'component:default/legacy' },
        ]);
      });

      it('reads a multi-document YAML batch, with the line each document starts on', async () => {
        const res = await post()
          .type('application/yaml')
          .query({ location: `url:${catalogFile}` })
          .send(toYaml(batch));
        expect(res.status).toBe(200);
        expect(
          res.body.documents.map((d: { line: number; result: string }) => [
            d.line,
            d.result,
          ]),
        ).toEqual([
          [1, 'unchanged'],
          [3, 'changed'],
          [5, 'created'],
          [7, 'created'],
        ]);
        expect(res.body.deleted).toEqual([
          { entityRef: 'component:default/legacy' },
        ]);
      });

      it('reports a YAML syntax error in its own document with line and column, and validates the others', async () => {
        const text = `${toYaml([group('team-a')])}\n---\nkind: Component\nmetadata: [unclosed\n---\n${toYaml([group('team-b')])}`;
        const res = await post().type('text/yaml').send(text);
        expect(res.status).toBe(200);
        expect(res.body.valid).toBe(false);
        expect(
          res.body.documents.map((d: { result: string }) => d.result),
        ).toEqual(['unchanged', 'invalid', 'unchanged']);
        expect(res.body.documents[1].errors[0].message).toMatch(
          /^YAML error in document 1 at line \d+, column \d+: /,
        );
      });

      it('names the field path of each validation error', async () => {
        const broken = component('broken', { lifecycle: 7 });
        const res = await post().send({
          entities: [
            broken,
            { ...group('team-a'), metadata: { name: 'Bad Name!' } },
            'text',
          ],
        });
        expect(res.status).toBe(200);
        const [first, second, third] = res.body.documents;
        expect(first.result).toBe('invalid');
        expect(first.errors.map((e: { path: string }) => e.path)).toContain(
          'spec.lifecycle',
        );
        expect(second.errors.map((e: { path: string }) => e.path)).toContain(
          'metadata.name',
        );
        expect(third).toEqual({
          index: 2,
          result: 'invalid',
          errors: [
            { message: 'Document 2 is not an entity object, got "text".' },
          ],
          warnings: [],
        });
      });

      it('refuses a ref that the batch defines twice', async () => {
        const res = await post().send({
          entities: [component('twin'), component('TWIN')],
        });
        expect(res.body.documents[0].result).toBe('created');
        expect(res.body.documents[1]).toMatchObject({
          result: 'invalid',
          errors: [
            {
              message:
                "Entity 'component:default/twin' is defined more than once in the batch: documents 0 and 1. Define each entity in one document only.",
              path: 'metadata.name',
            },
          ],
        });
      });

      it('resolves relation targets from the batch and from the catalog', async () => {
        const res = await post().send({
          entities: [
            component('front', {
              owner: 'team-b',
              dependsOn: ['component:back'],
            }),
            component('back', { owner: 'group:default/team-a' }),
          ],
        });
        expect(
          res.body.documents.map((d: { warnings: unknown[] }) => d.warnings),
        ).toEqual([[], []]);
      });

      it('keeps the served location annotations and reports nothing deleted without a location', async () => {
        const res = await post().send({ entities: [servedPetstore()] });
        expect(res.body.documents[0]).toMatchObject({ result: 'unchanged' });
        expect(res.body.deleted).toEqual([]);
      });

      it('shows a resolved placeholder as sent, never the content it read', async () => {
        const api = (definition: object) => ({
          ...petstoreApi,
          spec: { ...petstoreApi.spec, definition },
        });
        const res = await post().send({
          entities: [api({ $text: './petstore-v2.md' })],
          location: { type: 'url', target: `${base}/apis.yaml` },
        });
        expect(res.body.documents[0].diff).toEqual([
          {
            op: 'replace',
            path: '/spec/definition',
            value: { $text: './petstore-v2.md' },
          },
        ]);
        expect(res.text).not.toContain('Confidential');
        const same = await post().send({
          entities: [api({ $text: './petstore.md' })],
          location: { type: 'url', target: `${base}/apis.yaml` },
        });
        expect(same.body.documents[0].result).toBe('unchanged');
      });

      it('does not show a relation target that a placeholder read', async () => {
        const res = await post().send({
          entities: [
            component('secretive', { owner: { $text: './owner.txt' } }),
          ],
          location: { type: 'url', target: catalogFile },
        });
        expect(res.body.documents[0].warnings).toEqual([
          {
            message:
              "Relation 'ownedBy' from 'spec.owner' points to an entity (its ref came from processing, so it is not shown), which is neither in the batch nor in the catalog. The catalog keeps it as a dangling relation; add the entity, or fix the ref.",
            path: 'spec.owner',
          },
        ]);
        expect(res.text).not.toContain('hidden-team');
      });

      it('makes relative placeholders an error without a location, reading nothing', async () => {
        const res = await post().send({
          entities: [{ ...petstoreApi, metadata: { name: 'other-api' } }],
        });
        expect(res.body.documents[0].result).toBe('invalid');
        expect(res.body.documents[0].errors[0].message).toContain(
          "'./petstore.md' is neither an absolute URL nor a path relative to 'urn:plinth:validate-entities'.",
        );
        expect(res.text).not.toContain('Confidential');
      });

      it("validates a Location document without reading its targets, with or without the batch's location", async () => {
        const readUrl = jest.spyOn(reader, 'readUrl');
        const search = jest.spyOn(reader, 'search');
        const targets = [`${base}/private.yaml`, `${base}/teams/*.yaml`];
        const locationDocument = {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Location',
          metadata: { name: 'everything' },
          spec: { type: 'url', targets },
        };
        try {
          for (const location of [
            undefined,
            { type: 'url', target: catalogFile },
          ]) {
            const res = await post().send({
              entities: [locationDocument],
              ...(location && { location }),
            });
            expect(res.status).toBe(200);
            expect(res.body.documents[0]).toMatchObject({
              result: 'created',
              errors: [],
            });
          }
          const urls = [...readUrl.mock.calls, ...search.mock.calls].map(
            ([url]) => url,
          );
          expect(urls.filter(url => targets.includes(url))).toEqual([]);
        } finally {
          readUrl.mockRestore();
          search.mockRestore();
        }
      });

      it('treats entities the caller may not read as absent', async () => {
        const res = await post('jane').send({
          entities: [
            servedPetstore(),
            component('new', {
              owner: 'team-a',
              dependsOn: ['component:legacy'],
            }),
          ],
          location: { type: 'url', target: catalogFile },
        });
        expect(res.status).toBe(200);
        expect(res.body.documents[0].result).toBe('created');
        expect(
          res.body.documents[1].warnings.map((w: { path: string }) => w.path),
        ).toEqual(['spec.dependsOn[0]']);
        // Team a is readable and served from the location; legacy is not readable.
        expect(res.body.deleted).toEqual([
          { entityRef: 'group:default/team-a' },
        ]);
      });

      it('refuses a caller without catalog.entity.validate', async () => {
        const res = await post('mallory').send({ entities: [] });
        expect(res.status).toBe(403);
      });

      it('refuses more documents than catalog.queryLimits.maxValidateEntities', async () => {
        const seven = Array.from({ length: 7 }, (_, i) => component(`c${i}`));
        const json = await post().send({ entities: seven });
        const yaml = await post().type('application/yaml').send(toYaml(seven));
        for (const res of [json, yaml]) {
          expect(res.status).toBe(400);
          expect(res.body.error.message).toBe(
            "Invalid request body for POST /validate-entities: it holds 7 documents, more than the 6 that 'catalog.queryLimits.maxValidateEntities' allows. Split the documents over several requests.",
          );
        }
      });

      it('refuses a batch whose placeholders would make more than 1000 reads', async () => {
        // Short placeholders, to stay below the test's body limit.
        const reads = Array.from({ length: 201 }, () => ({ $text: 0 }));
        const entities = Array.from({ length: 5 }, (_, i) =>
          component(`reader-${i}`, { reads }),
        );
        const res = await post().send({ entities });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'Invalid request body for POST /validate-entities: its documents hold 1005 placeholders, more than the 1000 one batch may hold, as each may read a file. Split the documents over several requests.',
        );
      });

      it('refuses a YAML body nested deeper than backend.http.jsonBodyMaxDepth before parsing it', async () => {
        for (const nesting of ['['.repeat(15_000), '- '.repeat(7_000)]) {
          const res = await post()
            .type('application/yaml')
            .send(`kind: Component\n---\n${nesting}`);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toBe(
            "Invalid request body for POST /validate-entities: at line 3 the YAML nests collections more than 64 levels deep, more than 'backend.http.jsonBodyMaxDepth' allows. Send flatter documents.",
          );
        }
      });

      it('marks a YAML document holding a NUL invalid instead of taking it to SQL', async () => {
        const res = await post()
          .type('application/yaml')
          .send(
            `${toYaml([component('fine')])}\n---\n${JSON.stringify(
              component('nul', { dependsOn: ['component:default/x\u0000'] }),
            )}`,
          );
        expect(res.status).toBe(200);
        expect(res.body.documents[0].result).toBe('created');
        expect(res.body.documents[1]).toMatchObject({
          result: 'invalid',
          errors: [
            {
              message:
                'Document 1 contains a NUL character (\\u0000), which the catalog can neither store nor match; remove it.',
            },
          ],
        });
      });

      it('refuses a YAML body over backend.http.jsonBodyLimit', async () => {
        const res = await post()
          .type('application/yaml')
          .send(`# ${'x'.repeat(20_000)}\n`);
        expect(res.status).toBe(413);
        expect(res.body.error.message).toBe(
          "Request body rejected: it is larger than the limit of 16384 bytes set by 'backend.http.jsonBodyLimit'. Send a smaller body, or raise the limit.",
        );
      });

      it('refuses a location that is not an http(s) url', async () => {
        const res = await post()
          .query({ location: 'file:/etc/passwd' })
          .send({ entities: [] });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          "Invalid location 'file:/etc/passwd' for POST /validate-entities: its type is 'file', but only 'url' locations can be validated against; write it as 'url:<address>'.",
        );
      });

      it('refuses a body that is neither JSON nor YAML', async () => {
        const res = await post().type('text/plain').send('kind: Component');
        expect(res.status).toBe(415);
        expect(res.body.error.message).toBe(
          "Request body of POST /validate-entities rejected: Content-Type 'text/plain' is neither JSON nor YAML. Send 'application/json' with { \"entities\": [...] }, or 'application/yaml' with one entity per YAML document.",
        );
      });
    },
  );
});

function servedPetstore() {
  return component('petstore', {}, { description: 'Sells pets' });
}
