import type { Entity } from '@plinth/catalog-model';
import type { ClaimedEntity } from '../database/processingQueue';
import type { EntityProcessingResult } from './CatalogProcessingOrchestrator';
import { readStoredProcessorCache } from './EntityProcessorCache';
import { planProcessingWrite } from './planProcessingWrite';

function entity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
  };
}

function row(overrides: Partial<ClaimedEntity> = {}): ClaimedEntity {
  return {
    entityId: 'id-a',
    entityRef: 'component:default/a',
    unprocessedEntity: JSON.stringify(entity('a')),
    unprocessedHash: 'u',
    resultHash: null,
    cache: null,
    locationKey: null,
    ...overrides,
  };
}

function ok(cache: Record<string, unknown> = {}): EntityProcessingResult {
  return {
    ok: true,
    cache: cache as never,
    completedEntity: entity('a'),
    deferredEntities: [{ entity: entity('Child'), locationKey: 'url:x' }],
    relations: [
      {
        source: { kind: 'Component', namespace: 'default', name: 'a' },
        type: 'ownedBy',
        target: { kind: 'Group', namespace: 'default', name: 'Team' },
      },
    ],
    refreshKeys: [{ key: 'url:x' }],
    errors: [],
  };
}

describe('planProcessingWrite', () => {
  it('writes the whole result, with lowercased refs, when it is new', () => {
    const write = planProcessingWrite(row(), ok());

    expect(write).toMatchObject({
      kind: 'processed',
      entityId: 'id-a',
      unprocessedHash: 'u',
      errors: [],
      cache: null,
      relations: [
        {
          sourceEntityRef: 'component:default/a',
          type: 'ownedBy',
          targetEntityRef: 'group:default/team',
        },
      ],
      refreshKeys: ['url:x'],
      children: [
        {
          entityRef: 'component:default/child',
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          locationKey: 'url:x',
        },
      ],
    });
    expect(
      JSON.parse((write as { processedEntity: string }).processedEntity),
    ).toMatchObject({
      metadata: { uid: 'id-a' },
    });
  });

  it('writes nothing when the result and the caches are the same as before', () => {
    const first = planProcessingWrite(row(), ok({ P: { etag: '1' } }));
    const again = row({
      resultHash: (first as { resultHash: string }).resultHash,
      cache: first!.cache,
    });

    expect(
      planProcessingWrite(again, ok({ P: { etag: '1' } })),
    ).toBeUndefined();
  });

  it('writes only the caches when only they changed', () => {
    const first = planProcessingWrite(row(), ok({ P: { etag: '1' } }));
    const again = row({
      resultHash: (first as { resultHash: string }).resultHash,
      cache: first!.cache,
    });

    const write = planProcessingWrite(again, ok({ P: { etag: '2' } }));

    expect(write).toEqual({
      kind: 'cache',
      entityId: 'id-a',
      entityRef: 'component:default/a',
      unprocessedHash: 'u',
      cache: JSON.stringify({ ttl: 5, cache: { P: { etag: '2' } } }),
    });
  });

  it('writes the errors of a failed run and keeps the caches for a few more runs', () => {
    const stored = JSON.stringify({ ttl: 2, cache: { P: { etag: '1' } } });

    const write = planProcessingWrite(row({ cache: stored }), {
      ok: false,
      errors: [new Error('boom')],
    });

    expect(write).toMatchObject({
      kind: 'failed',
      errors: [{ name: 'Error', message: 'boom' }],
      cache: JSON.stringify({ ttl: 1, cache: { P: { etag: '1' } } }),
    });
    expect(readStoredProcessorCache(stored)?.cache).toEqual({
      P: { etag: '1' },
    });
  });

  it('reads caches stored in the shape of earlier versions and writes them in the current one', () => {
    const stored = JSON.stringify({
      ttl: 2,
      state: { cache: { P: { etag: '1' } } },
    });

    const write = planProcessingWrite(row({ cache: stored }), {
      ok: false,
      errors: [new Error('boom')],
    });

    expect(readStoredProcessorCache(stored)).toEqual({
      ttl: 2,
      cache: { P: { etag: '1' } },
    });
    expect(write).toMatchObject({
      kind: 'failed',
      cache: JSON.stringify({ ttl: 1, cache: { P: { etag: '1' } } }),
    });
  });

  it('writes nothing for caches in the earlier shape that equal the new result', () => {
    const stored = JSON.stringify({
      ttl: 5,
      state: { cache: { P: { etag: '1' } } },
    });
    const first = planProcessingWrite(row(), ok({ P: { etag: '1' } }));
    const again = row({
      resultHash: (first as { resultHash: string }).resultHash,
      cache: stored,
    });

    expect(
      planProcessingWrite(again, ok({ P: { etag: '1' } })),
    ).toBeUndefined();
  });

  it('drops the caches after the last failed run they survive', () => {
    const stored = JSON.stringify({
      ttl: 0,
      state: { cache: { P: { etag: '1' } } },
    });

    const write = planProcessingWrite(row({ cache: stored }), {
      ok: false,
      errors: [new Error('boom')],
    });

    expect(write).toMatchObject({ kind: 'failed', cache: null });
  });
});
