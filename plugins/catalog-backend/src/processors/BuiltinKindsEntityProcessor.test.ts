import type { Entity, JsonObject } from '@plinth/catalog-model';
import type { CatalogProcessorResult } from '@plinth/plugin-catalog-node';
import { BuiltinKindsEntityProcessor } from './BuiltinKindsEntityProcessor';

const processor = new BuiltinKindsEntityProcessor();
const location = { type: 'url', target: 'https://git.example.com/a.yaml' };

function entity(kind: string, spec: JsonObject, namespace?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'self', ...(namespace ? { namespace } : {}) },
    spec,
  };
}

/** Relations as `source -type-> target` strings, for readable assertions. */
async function relationsOf(input: Entity): Promise<string[]> {
  const emitted: CatalogProcessorResult[] = [];
  await processor.postProcessEntity(input, location, r => emitted.push(r));
  return emitted.map(result => {
    if (result.type !== 'relation') {
      throw new Error(`expected only relations, got ${result.type}`);
    }
    const { source: s, type, target: t } = result.relation;
    return `${s.kind}:${s.namespace}/${s.name} -${type}-> ${t.kind}:${t.namespace}/${t.name}`;
  });
}

describe('BuiltinKindsEntityProcessor', () => {
  it('emits both directions of every relation of a component', async () => {
    await expect(
      relationsOf(
        entity('Component', {
          owner: 'team-a',
          system: 'shop',
          subcomponentOf: 'web',
          providesApis: ['orders'],
          consumesApis: ['payments'],
          dependsOn: ['resource:db'],
          dependencyOf: ['component:other/app'],
        }),
      ),
    ).resolves.toEqual([
      'Component:default/self -ownedBy-> Group:default/team-a',
      'Group:default/team-a -ownerOf-> Component:default/self',
      'Component:default/self -partOf-> System:default/shop',
      'System:default/shop -hasPart-> Component:default/self',
      'Component:default/self -partOf-> Component:default/web',
      'Component:default/web -hasPart-> Component:default/self',
      'Component:default/self -providesApi-> API:default/orders',
      'API:default/orders -apiProvidedBy-> Component:default/self',
      'Component:default/self -consumesApi-> API:default/payments',
      'API:default/payments -apiConsumedBy-> Component:default/self',
      'Component:default/self -dependsOn-> resource:default/db',
      'resource:default/db -dependencyOf-> Component:default/self',
      'Component:default/self -dependencyOf-> component:other/app',
      'component:other/app -dependsOn-> Component:default/self',
    ]);
  });

  it('defaults refs to the namespace of the entity', async () => {
    await expect(
      relationsOf(
        entity('API', { owner: 'user:jane', system: 'default/shop' }, 'team'),
      ),
    ).resolves.toEqual([
      'API:team/self -ownedBy-> user:team/jane',
      'user:team/jane -ownerOf-> API:team/self',
      'API:team/self -partOf-> System:default/shop',
      'System:default/shop -hasPart-> API:team/self',
    ]);
  });

  it('emits the relations of resources, systems and domains', async () => {
    await expect(
      relationsOf(
        entity('Resource', {
          owner: 'a',
          system: 's',
          dependsOn: ['resource:b'],
        }),
      ),
    ).resolves.toEqual([
      'Resource:default/self -ownedBy-> Group:default/a',
      'Group:default/a -ownerOf-> Resource:default/self',
      'Resource:default/self -partOf-> System:default/s',
      'System:default/s -hasPart-> Resource:default/self',
      'Resource:default/self -dependsOn-> resource:default/b',
      'resource:default/b -dependencyOf-> Resource:default/self',
    ]);
    await expect(
      relationsOf(entity('System', { owner: 'a', domain: 'd' })),
    ).resolves.toEqual([
      'System:default/self -ownedBy-> Group:default/a',
      'Group:default/a -ownerOf-> System:default/self',
      'System:default/self -partOf-> Domain:default/d',
      'Domain:default/d -hasPart-> System:default/self',
    ]);
    await expect(
      relationsOf(entity('Domain', { owner: 'a', subdomainOf: 'top' })),
    ).resolves.toEqual([
      'Domain:default/self -ownedBy-> Group:default/a',
      'Group:default/a -ownerOf-> Domain:default/self',
      'Domain:default/self -partOf-> Domain:default/top',
      'Domain:default/top -hasPart-> Domain:default/self',
    ]);
  });

  it('emits membership and hierarchy relations of users and groups', async () => {
    await expect(
      relationsOf(entity('User', { memberOf: ['team-a'] })),
    ).resolves.toEqual([
      'User:default/self -memberOf-> Group:default/team-a',
      'Group:default/team-a -hasMember-> User:default/self',
    ]);
    await expect(
      relationsOf(
        entity('Group', {
          type: 'team',
          parent: 'org',
          children: ['sub'],
          members: ['jane'],
        }),
      ),
    ).resolves.toEqual([
      'Group:default/self -childOf-> Group:default/org',
      'Group:default/org -parentOf-> Group:default/self',
      'Group:default/self -parentOf-> Group:default/sub',
      'Group:default/sub -childOf-> Group:default/self',
      'Group:default/self -hasMember-> User:default/jane',
      'User:default/jane -memberOf-> Group:default/self',
    ]);
  });

  it('emits nothing for kinds without relation fields', async () => {
    await expect(
      relationsOf(entity('Location', { target: './a.yaml' })),
    ).resolves.toEqual([]);
    await expect(relationsOf(entity('Robot', { owner: 'a' }))).resolves.toEqual(
      [],
    );
  });

  it('rejects a dependsOn ref without a kind', async () => {
    await expect(
      relationsOf(entity('Component', { dependsOn: ['db'] })),
    ).rejects.toThrow(
      "Entity 'component:default/self' has the ref 'db' at 'spec.dependsOn[0]' without a kind, and 'dependsOn' has no default kind. Write it as '<kind>:[<namespace>/]<name>', e.g. 'resource:db'.",
    );
  });

  it('rejects a malformed ref', async () => {
    await expect(
      relationsOf(entity('API', { owner: 'group:' })),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Entity 'api:default/self' has an invalid entity ref at 'spec.owner'",
      cause: {
        message:
          "Entity ref 'group:' has an empty name; write it as '[<kind>:][<namespace>/]<name>', e.g. 'component:default/foo'.",
      },
    });
  });

  it('rejects a relation field value that is not a string', async () => {
    await expect(
      relationsOf(entity('User', { memberOf: [{ name: 'a' }] })),
    ).rejects.toThrow(
      `Entity 'user:default/self' has {"name":"a"} at 'spec.memberOf[0]', which is not an entity ref. Write it as '[<kind>:][<namespace>/]<name>'.`,
    );
  });
});
