import { MockLoggerService } from '@plinth/backend-test-utils';
import type { Entity } from '@plinth/catalog-model';
import { describeErrorChain, InputError } from '@plinth/errors';
import {
  processingResult,
  type CatalogProcessor,
} from '@plinth/plugin-catalog-node';
import {
  component,
  createTestOrchestrator as create,
  expectOk,
  messages,
} from './createTestOrchestrator.fixture';

describe('DefaultCatalogProcessingOrchestrator', () => {
  it('runs processors by priority, then in the order they were added', async () => {
    const calls: string[] = [];
    const processor = (name: string, priority?: number): CatalogProcessor => ({
      getProcessorName: () => name,
      ...(priority === undefined ? {} : { getPriority: () => priority }),
      async preProcessEntity(entity) {
        calls.push(`pre:${name}`);
        return entity;
      },
      async postProcessEntity(entity) {
        calls.push(`post:${name}`);
        return entity;
      },
    });
    const orchestrator = create([
      processor('late', 30),
      processor('default-1'),
      processor('early', 10),
      processor('default-2'),
    ]);

    expectOk(await orchestrator.process({ entity: component('a') }));

    expect(calls).toEqual([
      'pre:early',
      'pre:default-1',
      'pre:default-2',
      'pre:late',
      'post:early',
      'post:default-1',
      'post:default-2',
      'post:late',
    ]);
  });

  it('returns the completed entity with its default namespace, relations and refresh keys', async () => {
    const orchestrator = create([
      {
        getProcessorName: () => 'Owner',
        async postProcessEntity(entity, _location, emit) {
          const self = {
            kind: 'Component',
            namespace: 'default',
            name: entity.metadata.name,
          };
          const owner = { kind: 'Group', namespace: 'default', name: 'team-a' };
          emit(
            processingResult.relation({
              source: self,
              type: 'ownedBy',
              target: owner,
            }),
          );
          emit(
            processingResult.relation({
              source: owner,
              type: 'ownerOf',
              target: self,
            }),
          );
          emit(processingResult.refresh('url:https://example.com/a'));
          return {
            ...entity,
            metadata: { ...entity.metadata, labels: { seen: 'yes' } },
          };
        },
      },
    ]);
    const input = component('a');

    const result = expectOk(await orchestrator.process({ entity: input }));

    expect(result.completedEntity.metadata).toMatchObject({
      name: 'a',
      namespace: 'default',
      labels: { seen: 'yes' },
    });
    expect(input.metadata.namespace).toBeUndefined();
    expect(result.relations).toEqual([
      {
        source: { kind: 'Component', namespace: 'default', name: 'a' },
        type: 'ownedBy',
        target: { kind: 'Group', namespace: 'default', name: 'team-a' },
      },
      {
        source: { kind: 'Group', namespace: 'default', name: 'team-a' },
        type: 'ownerOf',
        target: { kind: 'Component', namespace: 'default', name: 'a' },
      },
    ]);
    expect(result.refreshKeys).toEqual([{ key: 'url:https://example.com/a' }]);
    expect(result.errors).toEqual([]);
  });

  it('processes a copy of the entity unless the caller lets it change the entity', async () => {
    const orchestrator = create([]);
    const kept = component('a');
    const given = component('b');

    const copied = expectOk(await orchestrator.process({ entity: kept }));
    const inPlace = expectOk(
      await orchestrator.process({ entity: given, mayChangeEntity: true }),
    );

    expect(copied.completedEntity).not.toBe(kept);
    expect(kept.metadata.namespace).toBeUndefined();
    expect(inPlace.completedEntity).toBe(given);
    expect(given.metadata.namespace).toBe('default');
  });

  it('rejects an entity no processor and no schema recognizes', async () => {
    const orchestrator = create([]);
    const entity = { ...component('a'), kind: 'Widget' };

    const result = await orchestrator.process({ entity });

    expect(result.ok).toBe(false);
    expect(messages(result)).toEqual([
      "No processor recognized the entity 'widget:default/a' of kind 'Widget' and apiVersion 'backstage.io/v1alpha1'; check the kind and apiVersion for typos, or add a processor or an entity schema that knows this kind.",
    ]);
  });

  it('accepts a kind that a processor recognizes', async () => {
    const orchestrator = create([
      {
        getProcessorName: () => 'Widgets',
        validateEntityKind: async entity => entity.kind === 'Widget',
      },
    ]);

    const result = await orchestrator.process({
      entity: { ...component('a'), kind: 'Widget' },
    });

    expect(result.ok).toBe(true);
  });

  it('reports a kind schema violation', async () => {
    const orchestrator = create([]);
    const entity = component('a');
    delete entity.spec!.owner;

    const result = await orchestrator.process({ entity });

    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ name: 'EntityValidationError' });
    expect(messages(result)[0]).toMatch(
      /^Invalid entity 'component:default\/a'/,
    );
  });

  it('reports an entity whose envelope is invalid before any processor runs', async () => {
    const pre = jest.fn();
    const orchestrator = create([
      { getProcessorName: () => 'P', preProcessEntity: pre },
    ]);

    const result = await orchestrator.process({ entity: component('-a') });

    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ name: 'EntityValidationError' });
    expect(pre).not.toHaveBeenCalled();
  });

  it('reports an entity without a location annotation', async () => {
    const entity = component('a');
    entity.metadata.annotations = {};

    const result = await create([]).process({ entity });

    expect(messages(result)).toEqual([
      "Entity 'component:default/a' has no 'backstage.io/managed-by-location' annotation; the entity provider that gave it must set it to the entity's location, such as 'url:https://example.com/catalog-info.yaml'.",
    ]);
  });

  it('names the processor and the step that threw, keeping the cause', async () => {
    const boom = new TypeError('boom');
    const orchestrator = create([
      {
        getProcessorName: () => 'Exploding',
        async postProcessEntity() {
          throw boom;
        },
      },
    ]);

    const result = await orchestrator.process({ entity: component('a') });

    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        name: 'TypeError',
        message:
          "Processor 'Exploding' failed to post-process entity 'component:default/a'",
        cause: boom,
      }),
    ]);
  });

  it('names the processor that threw while validating or pre-processing', async () => {
    const orchestrator = create([
      {
        getProcessorName: () => 'Strict',
        async validateEntityKind() {
          throw new Error('spec.type is not allowed');
        },
      },
    ]);
    const pre = create([
      {
        getProcessorName: () => 'Early',
        async preProcessEntity() {
          throw new Error('no');
        },
      },
    ]);

    expect(
      messages(await orchestrator.process({ entity: component('a') })),
    ).toEqual(["Processor 'Strict' rejected entity 'component:default/a'"]);
    expect(messages(await pre.process({ entity: component('a') }))).toEqual([
      "Processor 'Early' failed to pre-process entity 'component:default/a'",
    ]);
  });

  it('rejects a processor that changes the ref of the entity', async () => {
    const orchestrator = create([
      {
        getProcessorName: () => 'Renamer',
        async preProcessEntity(entity) {
          return { ...entity, metadata: { ...entity.metadata, name: 'b' } };
        },
      },
    ]);

    expect(
      messages(await orchestrator.process({ entity: component('a') })),
    ).toEqual([
      "Processing changed the ref of entity 'component:default/a' to 'component:default/b'; processors must not change the kind, namespace or name of an entity.",
    ]);
  });

  it('rejects fields whose paths differ only in case', async () => {
    const entity = component('a');
    entity.spec = { ...entity.spec, Owner: 'team-b' };

    expect(messages(await create([]).process({ entity }))).toEqual([
      "Entity 'component:default/a' has fields whose paths differ only in case: 'spec.owner' and 'spec.Owner'. Field paths are compared without case; rename one of each pair.",
    ]);
  });

  it('hands each processor its cache from the previous run and returns what it wrote', async () => {
    const seen: unknown[] = [];
    const orchestrator = create([
      {
        getProcessorName: () => 'Counter',
        async postProcessEntity(entity, _location, _emit, cache) {
          const count = (await cache.get<number>('count')) ?? 0;
          seen.push(count);
          await cache.set('count', count + 1);
          return entity;
        },
      },
    ]);

    const first = expectOk(
      await orchestrator.process({ entity: component('a') }),
    );
    const second = expectOk(
      await orchestrator.process({
        entity: component('a'),
        cache: first.cache,
      }),
    );

    expect(seen).toEqual([0, 1]);
    expect(second.cache).toEqual({ Counter: { count: 2 } });
  });

  it('warns about results emitted after processing ended and ignores them', async () => {
    const logger = MockLoggerService.create();
    let late:
      ((r: ReturnType<typeof processingResult.refresh>) => void) | undefined;
    const orchestrator = create(
      [
        {
          getProcessorName: () => 'Late',
          async postProcessEntity(entity, _location, emit) {
            late = emit;
            return entity;
          },
        },
      ],
      { logger },
    );

    const result = expectOk(
      await orchestrator.process({ entity: component('a') }),
    );
    late!(processingResult.refresh('k'));

    expect(result.refreshKeys).toEqual([]);
    expect(logger.messages('warn')).toEqual([
      "Processor 'Late' emitted a result of type 'refresh' for entity 'component:default/a' after its processing had ended; the result is ignored. Await all work before returning from the processor.",
    ]);
  });

  it('reports a result of unknown type', async () => {
    const orchestrator = create([
      {
        getProcessorName: () => 'Odd',
        async postProcessEntity(entity, _location, emit) {
          emit({ type: 'mystery' } as never);
          return entity;
        },
      },
    ]);

    expect(
      messages(await orchestrator.process({ entity: component('a') })),
    ).toEqual([
      "Processor 'Odd' emitted a result of unknown type 'mystery' for entity 'component:default/a'; emit results built with processingResult.",
    ]);
  });

  it('hides what pre-processing brought in from the messages of errors, when asked', async () => {
    const resolved = 'internal-wiki-content\nsecond line of it';
    const processors = [
      {
        getProcessorName: () => 'resolver',
        async preProcessEntity(entity: Entity) {
          return { ...entity, spec: { ...entity.spec, owner: resolved } };
        },
      },
      {
        getProcessorName: () => 'owners',
        async validateEntityKind(entity: Entity): Promise<boolean> {
          throw new InputError(
            `owner '${entity.spec?.owner as string}' is not a ref`,
            new Error(`parsing 'second line of it' failed`),
          );
        },
      },
    ];
    const hidden = await create(processors).process({
      entity: component('a'),
      hideResolvedValues: true,
    });
    expect(messages(hidden)).toEqual([
      "Processor 'owners' rejected entity 'component:default/a'",
    ]);
    expect(describeErrorChain(hidden.errors[0])).toBe(
      [
        "InputError: Processor 'owners' rejected entity 'component:default/a'",
        "  caused by InputError: owner '***' is not a ref",
        "  caused by Error: parsing '***' failed",
      ].join('\n'),
    );
    const located = await create([
      {
        getProcessorName: () => 'annotator',
        async preProcessEntity(entity: Entity) {
          return {
            ...entity,
            metadata: {
              ...entity.metadata,
              annotations: {
                ...entity.metadata.annotations,
                'backstage.io/view-url': '/repo/catalog-info.yaml',
              },
            },
          };
        },
      },
      {
        getProcessorName: () => 'viewer',
        async validateEntityKind(entity: Entity): Promise<boolean> {
          throw new InputError(
            `no view at '${entity.metadata.annotations?.['backstage.io/view-url']}'`,
          );
        },
      },
    ]).process({ entity: component('a'), hideResolvedValues: true });
    expect(describeErrorChain(located.errors[0])).toContain(
      "no view at '/repo/catalog-info.yaml'",
    );
    const shown = await create(processors).process({ entity: component('a') });
    expect(describeErrorChain(shown.errors[0])).toContain(
      'internal-wiki-content',
    );
  });
});
