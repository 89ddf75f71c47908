import { describeLocationKeyConflict } from './describeLocationKeyConflict';

describe('describeLocationKeyConflict', () => {
  it('names the entity, both locations and the fix', () => {
    expect(
      describeLocationKeyConflict({
        entityRef: 'component:default/x',
        locationKey: 'url:B',
        existingLocationKey: 'file:A',
        sourceKey: null,
        sourceEntityRef: 'location:default/b',
      }),
    ).toBe(
      "Entity 'component:default/x' from location 'url:B' conflicts with the same entity already provided by location 'file:A'; remove one of them, or delete the entity so the other can claim it.",
    );
  });

  it('names the entity provider and sources without a location key', () => {
    expect(
      describeLocationKeyConflict({
        entityRef: 'group:default/a',
        locationKey: null,
        existingLocationKey: null,
        sourceKey: 'org',
        sourceEntityRef: null,
      }),
    ).toBe(
      "Entity 'group:default/a' without a location key of entity provider 'org' conflicts with the same entity already provided by a source without a location key; remove one of them, or delete the entity so the other can claim it.",
    );
  });
});
