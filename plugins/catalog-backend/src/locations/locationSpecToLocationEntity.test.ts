import { createEntityValidator } from '@plinth/catalog-model';
import { locationSpecToLocationEntity } from './locationSpecToLocationEntity';

describe('locationSpecToLocationEntity', () => {
  it('builds a valid Location entity that is its own location', () => {
    const { entity, locationKey } = locationSpecToLocationEntity({
      type: 'url',
      target: 'https://git.example.com/catalog-info.yaml',
      presence: 'optional',
    });
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: {
        name: expect.stringMatching(/^generated-[0-9a-f]{40}$/),
        annotations: {
          'backstage.io/managed-by-location':
            'url:https://git.example.com/catalog-info.yaml',
          'backstage.io/managed-by-origin-location':
            'url:https://git.example.com/catalog-info.yaml',
        },
      },
      spec: {
        type: 'url',
        target: 'https://git.example.com/catalog-info.yaml',
        presence: 'optional',
      },
    });
    expect(locationKey).toBe('url:https://git.example.com/catalog-info.yaml');
    const validator = createEntityValidator();
    expect(validator.validateKind(validator.validateEnvelope(entity))).toBe(
      true,
    );
  });

  it('names the entity after the type and target only, stably', () => {
    const a = locationSpecToLocationEntity({ type: 'file', target: '/a.yaml' });
    const again = locationSpecToLocationEntity({
      type: 'file',
      target: '/a.yaml',
      presence: 'required',
    });
    const b = locationSpecToLocationEntity({ type: 'file', target: '/b.yaml' });
    expect(again.entity.metadata.name).toBe(a.entity.metadata.name);
    expect(b.entity.metadata.name).not.toBe(a.entity.metadata.name);
    // The SHA-1 of 'file:/a.yaml', so names survive a change of this code.
    expect(a.entity.metadata.name).toBe(
      'generated-b89e2027956dcc329166430c92d4e4f6a9615354',
    );
  });
});
