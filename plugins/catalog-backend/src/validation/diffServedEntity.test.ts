import type { Entity } from '@plinth/catalog-model';
import { diffServedEntity } from './diffServedEntity';

const location = 'url:https://git.example.com/acme/catalog-info.yaml';

function entity(spec: Entity['spec'], annotations = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'petstore', namespace: 'default', annotations },
    spec,
  };
}

function served(spec: Entity['spec'], annotations = {}): Entity {
  const base = entity(spec, {
    ...annotations,
    'backstage.io/orphan': 'true',
  });
  return {
    ...base,
    metadata: { ...base.metadata, uid: 'u-1', etag: 'e-1' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
    status: { items: [{ type: 'x', level: 'error', message: 'old' }] },
  };
}

describe('diffServedEntity', () => {
  it('ignores uid, etag, relations, status and the orphan annotation', () => {
    const spec = { type: 'service', owner: 'team-a' };
    expect(
      diffServedEntity({
        sent: entity(spec),
        processed: entity(spec),
        served: served(spec),
        keepServedLocation: false,
        locationRef: location,
      }),
    ).toEqual([]);
  });

  it('keeps the served location annotations without a location, unless the document sets them', () => {
    const at = { 'backstage.io/managed-by-location': location };
    const unplaced = {
      'backstage.io/managed-by-location': 'url:urn:plinth:validate-entities',
    };
    const spec = { type: 'service' };
    expect(
      diffServedEntity({
        sent: entity(spec),
        processed: entity(spec, unplaced),
        served: served(spec, at),
        keepServedLocation: true,
        locationRef: 'url:urn:plinth:validate-entities',
      }),
    ).toEqual([]);
    expect(
      diffServedEntity({
        sent: entity(spec, { 'backstage.io/view-url': 'https://x.example' }),
        processed: entity(spec, {
          ...unplaced,
          'backstage.io/view-url': 'https://x.example',
        }),
        served: served(spec, at),
        keepServedLocation: true,
        locationRef: 'url:urn:plinth:validate-entities',
      }),
    ).toEqual([
      {
        op: 'add',
        path: '/metadata/annotations/backstage.io~1view-url',
        value: 'https://x.example',
      },
    ]);
  });

  it('shows a placeholder in an array as sent where its content changed, and nothing where it did not', () => {
    const sent = entity({
      docs: [{ $text: './same.md' }, { $text: './new.md' }],
    });
    expect(
      diffServedEntity({
        sent,
        processed: entity({ docs: ['same text', 'secret new text'] }),
        served: served({ docs: ['same text', 'old text'] }),
        keepServedLocation: false,
        locationRef: location,
      }),
    ).toEqual([
      { op: 'replace', path: '/spec/docs/1', value: { $text: './new.md' } },
    ]);
  });

  it('masks strings that processing brought in and neither side nor the location holds', () => {
    const sent = entity({ type: 'service' });
    expect(
      diffServedEntity({
        sent,
        processed: entity({
          type: 'service',
          owner: 'group:default/read-from-codeowners',
          links: ['https://git.example.com/acme'],
        }),
        served: served({ type: 'service' }),
        keepServedLocation: false,
        locationRef: location,
      }),
    ).toEqual([
      { op: 'add', path: '/spec/owner', value: '***' },
      {
        op: 'add',
        path: '/spec/links',
        value: ['https://git.example.com/acme'],
      },
    ]);
  });
});
