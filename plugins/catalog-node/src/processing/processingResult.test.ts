import { processingResult } from './processingResult';

const location = { type: 'url', target: 'https://example.com/catalog.yaml' };

describe('processingResult', () => {
  it('builds typed errors for missing and invalid locations', () => {
    const notFound = processingResult.notFoundError(location, 'missing');
    const input = processingResult.inputError(location, 'bad');
    const general = processingResult.generalError(location, 'broken');
    expect(notFound).toMatchObject({ type: 'error', location });
    expect((notFound as { error: Error }).error.name).toBe('NotFoundError');
    expect((input as { error: Error }).error.name).toBe('InputError');
    expect((general as { error: Error }).error.message).toBe('broken');
  });

  it('keeps an explicit null location key and omits an absent one', () => {
    const entity = {
      apiVersion: 'v1',
      kind: 'Component',
      metadata: { name: 'a' },
    };
    expect(processingResult.entity(location, entity)).toEqual({
      type: 'entity',
      location,
      entity,
    });
    expect(
      processingResult.entity(location, entity, { locationKey: null }),
    ).toEqual({ type: 'entity', location, entity, locationKey: null });
  });

  it('builds location, relation and refresh results', () => {
    const ref = { kind: 'component', namespace: 'default', name: 'a' };
    expect(processingResult.location(location)).toEqual({
      type: 'location',
      location,
    });
    expect(
      processingResult.relation({ source: ref, type: 'ownedBy', target: ref }),
    ).toEqual({
      type: 'relation',
      relation: { source: ref, type: 'ownedBy', target: ref },
    });
    expect(processingResult.refresh('url:x')).toEqual({
      type: 'refresh',
      key: 'url:x',
    });
  });
});
