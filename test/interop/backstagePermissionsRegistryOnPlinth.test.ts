import { ConfigReader } from '@backstage/config';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult as BackstageAuthorizeResult,
  PermissionClient,
  createPermission,
  type PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  createConditionTransformer,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { permissionsServiceFactory } from '@plinth/backend-defaults';
import { mockCredentials } from '@plinth/backend-test-utils';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@plinth/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@plinth/plugin-permission-node';
import express from 'express';
import { z } from 'zod';
import { permissionBackends } from './permissionBackends';
import { startPlinthBackend, type PlinthBackend } from './plinthBackend';
import { send } from './requests';

// A plugin written against Backstage's packages only registers a resource
// type and its rules with `coreServices.permissionsRegistry`; on Plinth,
// Plinth's permission backend resolves a conditional decision for one of
// its resources by calling the plugin's apply-conditions route, which
// Plinth's registry serves with the plugin's rules.

const alice = 'user:default/alice';

interface InteropDocument {
  id: string;
  author: string;
  tags: string[];
}

/** What the plugin's rules turn conditions into for its list route. */
type DocumentFilter = (document: InteropDocument) => boolean;

const documents: InteropDocument[] = [
  { id: 'handbook', author: 'user:default/bob', tags: ['public'] },
  { id: 'alice-diary', author: alice, tags: ['private'] },
  { id: 'bob-diary', author: 'user:default/bob', tags: ['private'] },
];

const documentResourceRef = createPermissionResourceRef<
  InteropDocument,
  DocumentFilter
>().with({ pluginId: 'interop-docs', resourceType: 'interop-document' });

const documentReadPermission = createPermission({
  name: 'interop.document.read',
  attributes: { action: 'read' },
  resourceType: 'interop-document',
});

const hasTag = createPermissionRule({
  name: 'HAS_TAG',
  description: 'Allow documents that carry the tag',
  resourceRef: documentResourceRef,
  paramsSchema: z.object({ tag: z.string() }),
  apply: (document, { tag }) => document.tags.includes(tag),
  toQuery:
    ({ tag }) =>
    document =>
      document.tags.includes(tag),
});

const isAuthor = createPermissionRule({
  name: 'IS_AUTHOR',
  description: 'Allow documents written by the user',
  resourceRef: documentResourceRef,
  paramsSchema: z.object({ userEntityRef: z.string() }),
  apply: (document, { userEntityRef }) => document.author === userEntityRef,
  toQuery:
    ({ userEntityRef }) =>
    document =>
      document.author === userEntityRef,
});

/** What a route of the plugin answers. */
interface Reply {
  status: number;
  body: unknown;
}

/** The filter a list route runs for criteria of the plugin's rules. */
function toFilter(
  criteria: PermissionCriteria<DocumentFilter>,
): DocumentFilter {
  if ('anyOf' in criteria) {
    const filters = criteria.anyOf.map(toFilter);
    return document => filters.some(filter => filter(document));
  }
  if ('allOf' in criteria) {
    const filters = criteria.allOf.map(toFilter);
    return document => filters.every(filter => filter(document));
  }
  if ('not' in criteria) {
    const filter = toFilter(criteria.not);
    return document => !filter(document);
  }
  return criteria;
}

const docsPlugin = createBackendPlugin({
  pluginId: 'interop-docs',
  register(env) {
    env.registerInit({
      deps: {
        registry: coreServices.permissionsRegistry,
        permissions: coreServices.permissions,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({ registry, permissions, httpAuth, httpRouter }) {
        registry.addResourceType({
          resourceRef: documentResourceRef,
          permissions: [documentReadPermission],
          rules: [hasTag, isAuthor],
          getResources: async refs =>
            refs.map(ref => documents.find(d => d.id === ref)),
        });
        const transform = createConditionTransformer(
          registry.getPermissionRuleset(documentResourceRef),
        );
        /** Reads one document, if the caller may. */
        async function readOne(req: express.Request): Promise<Reply> {
          const document = documents.find(d => d.id === req.params.id);
          if (!document) {
            return { status: 404, body: { id: req.params.id } };
          }
          const credentials = await httpAuth.credentials(req);
          const [decision] = await permissions.authorize(
            [{ permission: documentReadPermission, resourceRef: document.id }],
            { credentials },
          );
          return decision.result === BackstageAuthorizeResult.ALLOW
            ? { status: 200, body: document }
            : { status: 403, body: { id: document.id } };
        }
        /** Lists the ids of the documents the caller may read. */
        async function list(req: express.Request): Promise<Reply> {
          const credentials = await httpAuth.credentials(req);
          const [decision] = await permissions.authorizeConditional(
            [{ permission: documentReadPermission }],
            { credentials },
          );
          if (decision.result === BackstageAuthorizeResult.DENY) {
            return { status: 200, body: [] };
          }
          const filter =
            decision.result === BackstageAuthorizeResult.CONDITIONAL
              ? toFilter(transform(decision.conditions))
              : () => true;
          return { status: 200, body: documents.filter(filter).map(d => d.id) };
        }
        const router = express.Router();
        router.get('/documents/:id', (req, res, next) => {
          readOne(req).then(r => res.status(r.status).json(r.body), next);
        });
        router.get('/documents', (req, res, next) => {
          list(req).then(r => res.status(r.status).json(r.body), next);
        });
        httpRouter.use(router);
      },
    });
  },
});

/** Public documents and the user's own, in Backstage's wire shape. */
class DocumentsPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!isPermission(request.permission, documentReadPermission)) {
      return { result: AuthorizeResult.DENY };
    }
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'interop-docs',
      resourceType: 'interop-document',
      conditions: {
        anyOf: [
          {
            rule: 'HAS_TAG',
            resourceType: 'interop-document',
            params: { tag: 'public' },
          },
          {
            rule: 'IS_AUTHOR',
            resourceType: 'interop-document',
            params: { userEntityRef: user?.info.userEntityRef ?? '' },
          },
        ],
      },
    };
  }
}

const asAlice = { authorization: mockCredentials.user.header(alice) };
const refs = ['handbook', 'alice-diary', 'bob-diary'];

/** Backstage's client for the permission backend at `origin`. */
function backstageClient(origin: string, config: object = {}) {
  return new PermissionClient({
    discovery: { getBaseUrl: async id => `${origin}/api/${id}` },
    config: new ConfigReader({ permission: { enabled: true, ...config } }),
  });
}

let backend: PlinthBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

describe.each(permissionBackends)(
  "$name applying a Backstage plugin's permissionsRegistry rules on Plinth",
  ({ features }) => {
    async function start() {
      backend = await startPlinthBackend({
        features: [
          ...features(new DocumentsPolicy()),
          docsPlugin,
          // The test backend's default permissions service allows
          // everything; this is the one a Plinth backend runs.
          permissionsServiceFactory,
        ],
        config: { permission: { enabled: true } },
      });
      return backend;
    }

    it("resolves authorize requests for the plugin's resources through its apply-conditions route", async () => {
      const { origin } = await start();
      const decisions = await backstageClient(origin).authorize(
        refs.map(resourceRef => ({
          permission: documentReadPermission,
          resourceRef,
        })),
        { token: mockCredentials.user.token(alice) },
      );
      expect(decisions).toMatchObject([
        { result: BackstageAuthorizeResult.ALLOW },
        { result: BackstageAuthorizeResult.ALLOW },
        { result: BackstageAuthorizeResult.DENY },
      ]);
    });

    it('resolves a batched request with many resourceRefs in one item', async () => {
      const { origin } = await start();
      const client = backstageClient(origin, {
        EXPERIMENTAL_enableBatchedRequests: true,
      });
      const decisions = await client.authorize(
        refs.map(resourceRef => ({
          permission: documentReadPermission,
          resourceRef,
        })),
        { token: mockCredentials.user.token(alice) },
      );
      expect(decisions).toMatchObject([
        { result: BackstageAuthorizeResult.ALLOW },
        { result: BackstageAuthorizeResult.ALLOW },
        { result: BackstageAuthorizeResult.DENY },
      ]);
    });

    it('denies a resource the plugin does not know', async () => {
      const { origin } = await start();
      await expect(
        backstageClient(origin).authorize(
          [{ permission: documentReadPermission, resourceRef: 'no-such-doc' }],
          { token: mockCredentials.user.token(alice) },
        ),
      ).resolves.toMatchObject([{ result: BackstageAuthorizeResult.DENY }]);
    });

    it("serves the plugin's route with the decision Plinth's permissions service gets for each resource", async () => {
      const { origin } = await start();
      const statuses = await Promise.all(
        refs.map(async id => {
          const response = await send(
            `${origin}/api/interop-docs/documents/${id}`,
            {
              headers: asAlice,
            },
          );
          return [id, response.status];
        }),
      );
      expect(statuses).toEqual([
        ['handbook', 200],
        ['alice-diary', 200],
        ['bob-diary', 403],
      ]);
    });

    it("filters the plugin's list with the conditions and the rules from Plinth's registry", async () => {
      const { origin } = await start();
      await expect(
        send(`${origin}/api/interop-docs/documents`, { headers: asAlice }),
      ).resolves.toEqual({ status: 200, body: ['handbook', 'alice-diary'] });
    });
  },
);
