import { InputError } from '@plinth/errors';
import { parseLocationRef } from './parseLocationRef';
import { stringifyLocationRef } from './stringifyLocationRef';

describe('stringifyLocationRef', () => {
  it('writes type and target joined by a colon', () => {
    expect(
      stringifyLocationRef({
        type: 'url',
        target: 'https://example.com/a.yaml',
      }),
    ).toBe('url:https://example.com/a.yaml');
  });

  it('writes a ref that parseLocationRef reads back', () => {
    const location = { type: 'file', target: '/srv/catalog/all.yaml' };
    expect(parseLocationRef(stringifyLocationRef(location))).toEqual(location);
  });

  it.each(['type', 'target'] as const)('rejects an empty %s', part => {
    const location = { type: 'url', target: 'https://example.com/a.yaml' };
    location[part] = '';
    expect(() => stringifyLocationRef(location)).toThrow(
      new InputError(
        `Location ${JSON.stringify(location)} has an empty ${part}; give both a type and a target, e.g. { type: 'url', target: 'https://example.com/catalog-info.yaml' }.`,
      ),
    );
  });
});
