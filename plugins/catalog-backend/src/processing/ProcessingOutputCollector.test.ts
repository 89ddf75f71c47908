import { MockLoggerService } from '@plinth/backend-test-utils';
import { createEntityValidator, type Entity } from '@plinth/catalog-model';
import { processingResult } from '@plinth/plugin-catalog-node';
import { computeStableHash } from '../shared/computeStableHash';
import { OffHeapJson } from '../shared/OffHeapJson';
import {
  ProcessingOutputCollector,
  serializeChild,
} from './ProcessingOutputCollector';

const location = { type: 'file', target: '/repo/catalog-info.yaml' };

function createCollector() {
  return new ProcessingOutputCollector({
    parent: {
      ref: 'location:default/root',
      location: 'file:/repo/root.yaml',
      originLocation: 'file:/repo/root.yaml',
    },
    validator: createEntityValidator(),
    rules: {
      enforcer: { isAllowed: () => true },
      originLocation: { type: 'file', target: '/repo/root.yaml' },
    },
    logger: MockLoggerService.create(),
  });
}

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

describe('ProcessingOutputCollector', () => {
  it('keeps each child as emitted, so a processor changing its object afterwards changes nothing', () => {
    const collector = createCollector();
    const emitted = component('Svc');

    collector.emitFor('Reader')(processingResult.entity(location, emitted));
    emitted.metadata.name = 'changed';
    const [child] = collector.finish().deferredEntities;

    expect({ entity: child.entity, locationKey: child.locationKey }).toEqual({
      entity: {
        ...component('Svc'),
        metadata: {
          name: 'Svc',
          annotations: {
            'backstage.io/managed-by-origin-location': 'file:/repo/root.yaml',
            'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml',
          },
        },
      },
      locationKey: 'file:/repo/catalog-info.yaml',
    });
  });

  it('gives a fresh copy of a child on each read', () => {
    const collector = createCollector();
    collector.emitFor('Reader')(
      processingResult.entity(location, component('svc')),
    );
    const [child] = collector.finish().deferredEntities;

    child.entity.metadata.name = 'changed';

    expect(child.entity.metadata.name).toBe('svc');
  });
});

describe('serializeChild', () => {
  it('returns the lowercased ref, JSON and hash of a collected child as computed on emission, its JSON kept off the heap', () => {
    const collector = createCollector();
    collector.emitFor('Reader')(
      processingResult.entity(location, component('Svc')),
    );
    const [child] = collector.finish().deferredEntities;

    const serialized = serializeChild(child);

    expect(serialized).toEqual({
      entityRef: 'component:default/svc',
      json: expect.any(OffHeapJson),
      hash: computeStableHash(child.entity),
    });
    expect(JSON.stringify({ entity: serialized.json })).toBe(
      JSON.stringify({ entity: JSON.stringify(child.entity) }),
    );
  });

  it('serializes a child made elsewhere from its entity', () => {
    const entity = component('Other');

    expect(serializeChild({ entity })).toEqual({
      entityRef: 'component:default/other',
      json: JSON.stringify(entity),
      hash: computeStableHash(entity),
    });
  });
});
