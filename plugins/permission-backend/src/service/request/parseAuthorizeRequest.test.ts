import {
  MAX_RESOURCE_REFS_PER_ITEM,
  MAX_RESOURCE_REFS_PER_REQUEST,
  parseAuthorizeRequest,
} from './parseAuthorizeRequest';

const read = {
  type: 'resource',
  name: 'a.read',
  attributes: { action: 'read' },
  resourceType: 'a',
};

describe('parseAuthorizeRequest', () => {
  it('reads basic and resource items and drops keys Backstage does not know', () => {
    expect(
      parseAuthorizeRequest({
        items: [
          {
            id: '1',
            permission: {
              type: 'basic',
              name: 'a.create',
              attributes: { action: 'create' },
            },
            extra: 1,
          },
          {
            id: '2',
            permission: {
              type: 'resource',
              name: 'a.read',
              attributes: {},
              resourceType: 'a',
              note: 'x',
            },
            resourceRef: 'a:1',
          },
        ],
      }),
    ).toEqual([
      {
        id: '1',
        permission: {
          type: 'basic',
          name: 'a.create',
          attributes: { action: 'create' },
        },
      },
      {
        id: '2',
        permission: {
          type: 'resource',
          name: 'a.read',
          attributes: {},
          resourceType: 'a',
        },
        resourceRef: 'a:1',
      },
    ]);
  });

  it('accepts an empty batch', () => {
    expect(parseAuthorizeRequest({ items: [] })).toEqual([]);
  });

  it('refuses a body that is not { items: [...] }', () => {
    expect(() => parseAuthorizeRequest([])).toThrow(
      'Invalid authorize request: expected a JSON body { items: [{ id, permission, resourceRef? }] }, got an array.',
    );
  });

  it('refuses an item that is not an object', () => {
    expect(() => parseAuthorizeRequest({ items: ['x'] })).toThrow(
      "Invalid authorize request: items[0] must be an object, got the string 'x'.",
    );
  });

  it('names every problem of an item', () => {
    expect(() =>
      parseAuthorizeRequest({
        items: [
          {
            id: 7,
            resourceRef: { ref: 'a:1' },
            permission: { type: 'other', name: '', attributes: null },
          },
        ],
      }),
    ).toThrow(
      [
        'Invalid authorize request: found 5 problems:',
        '  - items[0].id must be a non-empty string, got number 7',
        '  - items[0].resourceRef must be a string or a list of strings when given, got an object',
        "  - items[0].permission.type must be 'basic' or 'resource', got the string 'other'",
        "  - items[0].permission.name must be a non-empty string, got the string ''",
        '  - items[0].permission.attributes must be an object, got null',
      ].join('\n'),
    );
  });

  it('refuses an item without a permission', () => {
    expect(() => parseAuthorizeRequest({ items: [{ id: '1' }] })).toThrow(
      'Invalid authorize request: items[0].permission must be an object, got undefined.',
    );
  });

  it('reads a list of resourceRefs, as Backstage sends in batched requests', () => {
    expect(
      parseAuthorizeRequest({
        items: [{ id: '1', permission: read, resourceRef: ['a:1', 'a:2'] }],
      }),
    ).toEqual([{ id: '1', permission: read, resourceRef: ['a:1', 'a:2'] }]);
  });

  it('refuses an empty list of resourceRefs', () => {
    expect(() =>
      parseAuthorizeRequest({
        items: [{ id: '1', permission: read, resourceRef: [] }],
      }),
    ).toThrow(
      'Invalid authorize request: items[0].resourceRef must list at least one resource when it is a list; leave it out to ask without a resource.',
    );
  });

  it('refuses a list of resourceRefs with something other than a string', () => {
    expect(() =>
      parseAuthorizeRequest({
        items: [{ id: '1', permission: read, resourceRef: ['a:1', 2] }],
      }),
    ).toThrow(
      'Invalid authorize request: items[0].resourceRef[1] must be a string, got number 2.',
    );
  });

  it('refuses an item listing more resources than the limit per item', () => {
    const resourceRef = Array.from(
      { length: MAX_RESOURCE_REFS_PER_ITEM + 1 },
      (_, i) => `a:${i}`,
    );
    expect(() =>
      parseAuthorizeRequest({
        items: [{ id: '1', permission: read, resourceRef }],
      }),
    ).toThrow(
      'Invalid authorize request: items[0].resourceRef lists 1001 resources, more than the 1000 one item may list; split them over several items or requests.',
    );
  });

  it('refuses a request naming more resources than the limit per request', () => {
    const perItem = Array.from(
      { length: MAX_RESOURCE_REFS_PER_ITEM },
      (_, i) => `a:${i}`,
    );
    const items = Array.from(
      { length: MAX_RESOURCE_REFS_PER_REQUEST / MAX_RESOURCE_REFS_PER_ITEM },
      (_, i) => ({ id: String(i), permission: read, resourceRef: perItem }),
    );
    expect(parseAuthorizeRequest({ items })).toHaveLength(items.length);
    items.push({ id: 'one more', permission: read, resourceRef: ['a:0'] });
    expect(() => parseAuthorizeRequest({ items })).toThrow(
      'Invalid authorize request: the items name 10001 resources in all, more than the 10000 one request may name; send them in several requests.',
    );
  });
});
