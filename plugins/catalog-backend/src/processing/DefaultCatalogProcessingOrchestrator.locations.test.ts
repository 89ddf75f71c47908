import {
  processingResult,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import type { CatalogRulesEnforcer } from './DefaultCatalogRulesEnforcer';
import {
  component,
  createTestOrchestrator as create,
  expectOk,
  fileReader,
  location,
  messages,
} from './createTestOrchestrator.fixture';

describe('DefaultCatalogProcessingOrchestrator', () => {
  it('reads the targets of a Location entity and annotates each child with where it came from', async () => {
    const reads: LocationSpec[] = [];
    const orchestrator = create([
      fileReader(
        {
          '/repo/a/catalog-info.yaml':
            'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n',
          '/other/b.yaml':
            'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\n',
        },
        reads,
      ),
    ]);

    const result = expectOk(
      await orchestrator.process({
        entity: location({
          target: './a/catalog-info.yaml',
          targets: ['/other/b.yaml'],
        }),
      }),
    );

    expect(reads).toEqual([
      {
        type: 'file',
        target: '/repo/a/catalog-info.yaml',
        presence: 'required',
      },
      { type: 'file', target: '/other/b.yaml', presence: 'required' },
    ]);
    expect(result.deferredEntities).toEqual([
      {
        entity: expect.objectContaining({
          metadata: {
            name: 'a',
            annotations: {
              'backstage.io/managed-by-location':
                'file:/repo/a/catalog-info.yaml',
              'backstage.io/managed-by-origin-location': 'file:/repo/root.yaml',
            },
          },
        }),
        locationKey: 'file:/repo/a/catalog-info.yaml',
      },
      expect.objectContaining({ locationKey: 'file:/other/b.yaml' }),
    ]);
  });

  it('resolves relative url targets against the url of the Location entity', async () => {
    const reads: LocationSpec[] = [];
    const orchestrator = create([fileReader({}, reads)]);

    await orchestrator.process({
      entity: location(
        { type: 'url', target: '../b/catalog-info.yaml', presence: 'optional' },
        'url:https://example.com/org/repo/a/catalog-info.yaml',
      ),
    });

    expect(reads).toEqual([
      {
        type: 'url',
        target: 'https://example.com/org/repo/b/catalog-info.yaml',
        presence: 'optional',
      },
    ]);
  });

  it('turns emitted locations into generated Location entities owned by the same location', async () => {
    const orchestrator = create([
      {
        getProcessorName: () => 'Discovery',
        async postProcessEntity(entity, _location, emit) {
          emit(
            processingResult.location({
              type: 'url',
              target: 'https://example.com/x.yaml',
            }),
          );
          return entity;
        },
      },
    ]);

    const result = expectOk(
      await orchestrator.process({ entity: component('a') }),
    );

    expect(
      result.deferredEntities.map(d => ({
        entity: d.entity,
        locationKey: d.locationKey,
      })),
    ).toEqual([
      {
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Location',
          metadata: {
            name: expect.stringMatching(/^generated-[0-9a-f]{40}$/),
            annotations: {
              'backstage.io/managed-by-location':
                'file:/repo/catalog-info.yaml',
              'backstage.io/managed-by-origin-location':
                'file:/repo/catalog-info.yaml',
            },
          },
          spec: { type: 'url', target: 'https://example.com/x.yaml' },
        },
        locationKey: 'file:/repo/catalog-info.yaml',
      },
    ]);
  });

  it('leaves the location key out when a processor emits an entity with a null key', async () => {
    const orchestrator = create([
      {
        getProcessorName: () => 'Unkeyed',
        async postProcessEntity(entity, location, emit) {
          emit(
            processingResult.entity(location, component('b'), {
              locationKey: null,
            }),
          );
          return entity;
        },
      },
    ]);

    const result = expectOk(
      await orchestrator.process({ entity: component('a') }),
    );

    expect(result.deferredEntities).toEqual([{ entity: expect.any(Object) }]);
  });

  it('fails the run when a processor emits an error, keeping the other errors', async () => {
    const orchestrator = create([fileReader({})]);

    const result = await orchestrator.process({
      entity: location({ target: './missing.yaml' }),
    });

    expect(result.ok).toBe(false);
    expect(messages(result)).toEqual(["No file at '/repo/missing.yaml'"]);
  });

  it('fails the run when an emitted entity has an invalid envelope', async () => {
    const orchestrator = create([
      fileReader({
        '/repo/bad.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: -bad\n',
      }),
    ]);

    const result = await orchestrator.process({
      entity: location({ target: './bad.yaml' }),
    });

    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ name: 'EntityValidationError' });
  });

  it('drops a child that the catalog rules refuse and reports it', async () => {
    const rulesEnforcer: CatalogRulesEnforcer = {
      isAllowed: entity => entity.kind !== 'Group',
    };
    const orchestrator = create(
      [
        fileReader({
          '/repo/all.yaml': [
            'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a',
            'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: admins',
          ].join('\n---\n'),
        }),
      ],
      { rulesEnforcer },
    );

    const result = expectOk(
      await orchestrator.process({
        entity: location({ target: './all.yaml' }),
      }),
    );

    expect(result.deferredEntities.map(d => d.entity.metadata.name)).toEqual([
      'a',
    ]);
    expect(messages(result)).toEqual([
      "Entity 'group:default/admins' of kind 'Group' from 'file:/repo/all.yaml' is refused: the catalog rules do not allow kind 'Group' from location 'file:/repo/root.yaml'. Allow the kind in 'catalog.rules' or in the rules of the location in 'catalog.locations'.",
    ]);
  });

  it('keeps the first of two children with the same ref and reports the second', async () => {
    const doc =
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a';
    const orchestrator = create([
      fileReader({
        '/repo/one.yaml': doc,
        '/repo/two.yaml': doc.replace('name: a', 'name: A'),
      }),
    ]);

    const result = expectOk(
      await orchestrator.process({
        entity: location({ targets: ['./one.yaml', './two.yaml'] }),
      }),
    );

    expect(result.deferredEntities).toHaveLength(1);
    expect(messages(result)).toEqual([
      "Entity 'component:default/a' is defined more than once by entity 'location:default/root', in 'file:/repo/one.yaml' and in 'file:/repo/two.yaml'; the first definition is used. Remove or rename the others.",
    ]);
  });

  it('checks the targets of a Location entity without reading them when asked not to read', async () => {
    const reads: LocationSpec[] = [];
    const orchestrator = create([
      fileReader({ '/repo/a.yaml': 'kind: Component\n' }, reads),
    ]);

    const readable = await orchestrator.process({
      entity: location({ target: './a.yaml', targets: ['/repo/*.yaml'] }),
      readLocationTargets: false,
    });
    const folder = await orchestrator.process({
      entity: location({ target: './catalog/' }),
      readLocationTargets: false,
    });

    expect(expectOk(readable).deferredEntities).toEqual([]);
    expect(messages(folder)).toEqual([
      "Location entity 'location:default/root' has the file target './catalog/', which names a folder; point it at a file, or at files with a glob such as './catalog/*.yaml'.",
    ]);
    expect(reads).toEqual([]);
  });

  it('reports a location type no processor reads', async () => {
    const orchestrator = create([fileReader({})]);

    const result = await orchestrator.process({
      entity: location({ type: 'ftp', target: 'ftp://example.com/a.yaml' }),
    });

    expect(messages(result)).toEqual([
      "No processor can read location 'ftp:ftp://example.com/a.yaml' of entity 'location:default/root'; add a processor that reads locations of type 'ftp', or fix the type.",
    ]);
  });

  it('reports a file target that names a folder', async () => {
    const result = await create([fileReader({})]).process({
      entity: location({ target: './catalog/' }),
    });

    expect(messages(result)).toEqual([
      "Location entity 'location:default/root' has the file target './catalog/', which names a folder; point it at a file, or at files with a glob such as './catalog/*.yaml'.",
    ]);
  });

  it('refuses file targets of a Location entity read from a url location, reading nothing', async () => {
    const reads: LocationSpec[] = [];
    const result = await create([fileReader({}, reads)]).process({
      entity: location(
        { type: 'file', targets: ['/repo/app-config.local.yaml'] },
        'url:https://git.example.com/acme/catalog-info.yaml',
      ),
    });

    expect(result.ok).toBe(false);
    expect(messages(result)).toEqual([
      "Location entity 'location:default/root' from 'url:https://git.example.com/acme/catalog-info.yaml' has the file target '/repo/app-config.local.yaml', but only entities read from file locations may name files, so that no location from outside the config leads to this server's disk; use a 'url' target.",
    ]);
    expect(reads).toEqual([]);
  });

  it('refuses url targets that are not http(s) or carry credentials, reading nothing', async () => {
    const reads: LocationSpec[] = [];
    const result = await create([fileReader({}, reads)]).process({
      entity: location(
        {
          type: 'url',
          targets: [
            'file:///repo/.plinth/dev-token',
            'https://ci:s3cret@git.example.com/a.yaml',
          ],
        },
        'url:https://git.example.com/acme/catalog-info.yaml',
      ),
    });

    expect(messages(result)).toEqual([
      "Location entity 'location:default/root' has the url target 'url:file:///repo/.plinth/dev-token', which cannot be read: its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have.",
      "Location entity 'location:default/root' has the url target 'url:https://git.example.com/a.yaml', which cannot be read: it carries a credential in a user name or password, and location targets are shown to every catalog reader and written to logs; remove it from the URL and give it to the URL reader instead, in the 'headers' of the rule for host 'git.example.com' in 'backend.reading.allow'.",
    ]);
    expect(reads).toEqual([]);
  });

  it('reports an emitted entity whose annotations are not an object', async () => {
    const orchestrator = create([
      {
        getProcessorName: () => 'Odd',
        async postProcessEntity(entity, location, emit) {
          const child = component('b');
          (child.metadata as Record<string, unknown>).annotations = ['x'];
          emit(processingResult.entity(location, child));
          return entity;
        },
      },
    ]);

    const result = await orchestrator.process({ entity: component('a') });

    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ name: 'EntityValidationError' });
  });
});
