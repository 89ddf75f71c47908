import { parseAuthorizeRequest } from './parseAuthorizeRequest';

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
            resourceRef: ['a:1'],
            permission: { type: 'other', name: '', attributes: null },
          },
        ],
      }),
    ).toThrow(
      [
        'Invalid authorize request: found 5 problems:',
        '  - items[0].id must be a non-empty string, got number 7',
        '  - items[0].resourceRef must be a string when given, got an array',
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
});
