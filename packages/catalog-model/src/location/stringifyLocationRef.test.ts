import { InputError } from '@plinth/errors';
import { parseLocationRef } from './parseLocationRef';
import {
  describeLocationRef,
  stringifyLocationRef,
} from './stringifyLocationRef';

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

describe('describeLocationRef', () => {
  it('hides the credentials, query values and fragment of a url target', () => {
    expect(
      describeLocationRef({
        type: 'url',
        target: 'https://user:pass@example.com/a.yaml?token=abc#x',
      }),
    ).toBe('url:https://example.com/a.yaml?token=***#***');
    expect(
      describeLocationRef('url:https://token@example.com/a.yaml?sig=1'),
    ).toBe('url:https://example.com/a.yaml?sig=***');
  });

  it('leaves other locations and refs without a type as written', () => {
    expect(describeLocationRef({ type: 'file', target: '/repo/a.yaml' })).toBe(
      'file:/repo/a.yaml',
    );
    expect(describeLocationRef('no-type-here')).toBe('no-type-here');
  });
});
