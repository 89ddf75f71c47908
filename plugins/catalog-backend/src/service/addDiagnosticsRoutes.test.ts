import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type PermissionsService,
} from '@plinth/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@plinth/backend-test-utils';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@plinth/plugin-catalog-node/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  type Permission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import request from 'supertest';
import type { CatalogDiagnostics } from '../database/readDiagnostics';
import type { ProcessingErrorItem } from '../database/processingErrors';
import { catalogPlugin } from '../plugin';

/*
 * The real catalog over files: a team of five users, a component whose
 * placeholder names a missing file, a location whose file is missing, and
 * two files that both define component 'dup'. The admin may do
 * everything; 'reader' reads components only; 'outsider' reads all
 * entities but not the diagnosis.
 */

const databases = TestDatabases.create();

const headers = {
  admin: mockCredentials.user.header('user:default/admin'),
  reader: mockCredentials.user.header('user:default/reader'),
  outsider: mockCredentials.user.header('user:default/outsider'),
};

function decide(
  permission: Permission,
  credentials: BackstageCredentials,
): PolicyDecision {
  const user = (credentials.principal as { userEntityRef?: string })
    .userEntityRef;
  if (user === 'user:default/admin') {
    return { result: AuthorizeResult.ALLOW };
  }
  if (isResourcePermission(permission, 'catalog-entity')) {
    return user === 'user:default/reader'
      ? createCatalogConditionalDecision(
          permission,
          catalogConditions.isEntityKind({ kinds: ['Component'] }),
        )
      : { result: AuthorizeResult.ALLOW };
  }
  return permission.name === 'catalog.diagnostics.read' &&
    user === 'user:default/outsider'
    ? { result: AuthorizeResult.DENY }
    : { result: AuthorizeResult.ALLOW };
}

const policyPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    async authorize(requests, options) {
      return requests.map(r => {
        const decision = decide(r.permission, options.credentials);
        return decision.result === AuthorizeResult.CONDITIONAL
          ? { result: AuthorizeResult.DENY }
          : decision;
      });
    },
    async authorizeConditional(requests, options) {
      return requests.map(r => decide(r.permission, options.credentials));
    },
  }),
});

const component = (name: string, owner: string, extra = '') =>
  `---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${name} }\nspec: { type: service, lifecycle: production, owner: ${owner}${extra} }\n`;

describe('addDiagnosticsRoutes', () => {
  describe.each(databases.eachSupportedId())('on %s', id => {
    let dir: string;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    const file = (name: string) => path.join(dir, name);
    const get = (caller: keyof typeof headers, url: string) =>
      request(backend.server)
        .get(`/api/catalog${url}`)
        .set('authorization', headers[caller]);

    beforeAll(async () => {
      dir = fs.realpathSync(
        fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-diagnostics-')),
      );
      const users = [1, 2, 3, 4, 5].map(
        n =>
          `---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: { name: user-${n} }\nspec: { memberOf: [team-a] }\n`,
      );
      fs.writeFileSync(
        file('team.yaml'),
        `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: team-a }\nspec: { type: team, children: [] }\n${users.join('')}`,
      );
      fs.writeFileSync(
        file('components.yaml'),
        component('docs', 'team-a', ', description: { $text: ./missing.md }') +
          component('dup', 'team-a') +
          component('fine', 'team-b'),
      );
      fs.writeFileSync(file('other.yaml'), component('dup', 'team-a'));
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          databases.factory(id),
          policyPermissions,
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
                locations: [
                  'team.yaml',
                  'components.yaml',
                  'other.yaml',
                  'missing.yaml',
                ].map(name => ({ type: 'file', target: file(name) })),
              },
            },
          }),
        ],
      });
      // docs, the missing file's location, and the location that lost 'dup'.
      await waitFor(
        'admin',
        d => d.errors.total === 3 && d.fanIn[0]?.relations === 6,
      );
    }, 120_000);

    afterAll(async () => {
      await backend?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function waitFor(
      caller: keyof typeof headers,
      done: (diagnosis: CatalogDiagnostics) => boolean,
    ): Promise<CatalogDiagnostics> {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await get(caller, '/diagnostics');
        expect(res.status).toBe(200);
        const diagnosis = res.body as CatalogDiagnostics;
        if (done(diagnosis)) {
          return diagnosis;
        }
        if (Date.now() > deadline) {
          throw new Error(`Timed out: ${JSON.stringify(res.body)}`);
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }

    it('reports processing errors by location, owner and provider', async () => {
      const diagnosis = (await get('admin', '/diagnostics')).body;

      expect(diagnosis.errors.total).toBe(3);
      expect(diagnosis.errors.byLocation).toContainEqual({
        key: `file:${file('missing.yaml')}`,
        entities: 1,
      });
      expect(diagnosis.errors.byOwner).toEqual([
        { key: 'group:default/team-a', entities: 1 },
      ]);
      expect(diagnosis.errors.byProvider).toEqual([
        { key: 'ConfigLocationProvider', entities: 3 },
      ]);
    }, 90_000);

    it('ranks the group with five members first by incoming relations', async () => {
      const diagnosis = (await get('admin', '/diagnostics?limit=2')).body;

      // Five memberOf, and ownedBy from dup; docs never processed.
      expect(diagnosis.fanIn).toEqual([
        { entityRef: 'group:default/team-a', relations: 6 },
        { entityRef: 'component:default/dup', relations: 1 },
      ]);
    });

    it('lists the conflict of the two files that define the same component', async () => {
      const { conflicts } = (await get('admin', '/diagnostics')).body;

      expect(conflicts).toEqual([
        {
          entityRef: 'component:default/dup',
          locationKey: expect.any(String),
          conflictingLocationKey: expect.any(String),
          emittedBy: {
            entityRef: expect.stringMatching(/^location:default\//),
          },
          since: expect.any(String),
        },
      ]);
      expect(
        [conflicts[0].locationKey, conflicts[0].conflictingLocationKey].sort(),
      ).toEqual([
        `file:${file('components.yaml')}`,
        `file:${file('other.yaml')}`,
      ]);
    });

    it('lists the processing errors of an owner as a resource, page by page', async () => {
      const owned = await get(
        'admin',
        '/processing-errors?owner=team-a&limit=1',
      );

      expect(owned.status).toBe(200);
      expect(owned.body).toEqual({
        items: [
          {
            entityRef: 'component:default/docs',
            errors: [
              expect.objectContaining({
                message:
                  "Processor 'PlaceholderProcessor' failed to pre-process entity 'component:default/docs'",
              }),
            ],
            location: `file:${file('components.yaml')}`,
            owner: 'group:default/team-a',
            provider: expect.any(String),
            since: expect.any(String),
          },
        ],
        pageInfo: {},
      });
      const refsOf = (body: unknown) =>
        (body as { items: ProcessingErrorItem[] }).items.map(i => i.entityRef);
      const all = refsOf((await get('admin', '/processing-errors')).body);
      const paged: string[] = [];
      let cursor = '';
      do {
        const page = await get('admin', `/processing-errors?limit=1${cursor}`);
        paged.push(...refsOf(page.body));
        const next = (page.body as { pageInfo: { nextCursor?: string } })
          .pageInfo.nextCursor;
        cursor = next ? `&after=${next}` : '';
      } while (cursor);
      expect(paged).toEqual(all);
      expect(paged).toHaveLength(3);
      const byLocation = await get(
        'admin',
        `/processing-errors?location=${encodeURIComponent(`file:${file('missing.yaml')}`)}&kind=Location`,
      );
      expect(byLocation.body.items).toHaveLength(1);
      const wrongKind = await get(
        'admin',
        `/processing-errors?location=${encodeURIComponent(`file:${file('missing.yaml')}`)}&kind=component`,
      );
      expect(wrongKind.body.items).toEqual([]);
    }, 90_000);

    it('shows a reader only the entities it may read', async () => {
      const diagnosis = (await get('reader', '/diagnostics'))
        .body as CatalogDiagnostics;
      const errors = (await get('reader', '/processing-errors')).body;

      // docs failed before it was ever served, so no condition can
      // show the reader may read it; the others are locations.
      expect(diagnosis.errors).toEqual({
        total: 0,
        byLocation: [],
        byOwner: [],
        byProvider: [],
      });
      expect(errors.items).toEqual([]);
      expect(diagnosis.conflicts).toEqual([]);
      expect(diagnosis.fanIn.map(f => f.entityRef)).toEqual([
        'component:default/dup',
        'component:default/fine',
      ]);
    });

    it('refuses the diagnosis to a caller without catalog.diagnostics.read', async () => {
      const res = await get('outsider', '/diagnostics');

      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain("'catalog.diagnostics.read'");
    });

    it.each([
      [
        '/diagnostics?limit=0',
        "Invalid query parameter 'limit': expected an integer of at least 1, got '0'.",
      ],
      [
        '/diagnostics?limit=101',
        "Invalid query parameter 'limit': expected an integer of at most 100 (set by 'catalog.diagnostics.maxLimit'), got '101'. Ask for fewer and follow the pages.",
      ],
      [
        '/diagnostics?since=1',
        "Unknown query parameter 'since' for GET /diagnostics; the known ones are 'limit'.",
      ],
      [
        '/processing-errors?owner=group:/x',
        "Invalid query parameter 'owner' ('group:/x'): expected an entity ref such as 'group:default/team-a'.",
      ],
      [
        `/processing-errors?owner=${'x'.repeat(501)}`,
        "Invalid query parameter 'owner': it is 501 characters long, more than the 500 of any entity ref.",
      ],
      [
        '/processing-errors?kind=a%27b',
        "Invalid query parameter 'kind' ('a'b'): expected an entity kind such as 'Component': letters, digits, '_', '.' and '-', at most 63 characters.",
      ],
      [
        '/processing-errors?after=!!',
        "Invalid query parameter 'after' ('!!'): it is not URL-safe base64. Pass the 'pageInfo.nextCursor' of the previous page as it was given.",
      ],
      [
        '/processing-errors?after=e30',
        "Invalid query parameter 'after' ('e30'): its 'after' is not a string. Pass the 'pageInfo.nextCursor' of the previous page as it was given.",
      ],
      [
        '/processing-errors?location=a&location=b',
        "Invalid query parameter 'location': expected one value, got 2 ('a', 'b'). Pass 'location' once.",
      ],
    ])('answers %s with a 400 naming the parameter', async (url, message) => {
      const res = await get('admin', url);

      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ name: 'InputError', message });
    });
  });
});
