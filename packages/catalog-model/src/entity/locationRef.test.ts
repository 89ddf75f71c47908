import { InputError } from '@plinth/errors';
import {
  describeLocationRef,
  parseLocationRef,
  stringifyLocationRef,
} from './locationRef';

const FORM =
  "write it as '<type>:<target>', e.g. 'url:https://github.com/acme/repo/blob/main/catalog-info.yaml'.";

describe('parseLocationRef', () => {
  it('splits at the first colon, so targets keep theirs', () => {
    expect(parseLocationRef('url:https://example.com:8080/a.yaml')).toEqual({
      type: 'url',
      target: 'https://example.com:8080/a.yaml',
    });
  });

  it('trims the type and the target', () => {
    expect(parseLocationRef(' file : ./catalog-info.yaml ')).toEqual({
      type: 'file',
      target: './catalog-info.yaml',
    });
  });

  it('rejects a ref without a colon', () => {
    expect(() => parseLocationRef('catalog-info.yaml')).toThrow(
      new InputError(`Location ref 'catalog-info.yaml' has no type; ${FORM}`),
    );
  });

  it('rejects a ref with an empty type', () => {
    expect(() => parseLocationRef(':./a.yaml')).toThrow(
      `Location ref ':./a.yaml' has an empty type; ${FORM}`,
    );
  });

  it('rejects a ref with an empty target', () => {
    expect(() => parseLocationRef('url: ')).toThrow(
      `Location ref 'url: ' has an empty target; ${FORM}`,
    );
  });

  it('rejects a bare address and shows it with the url prefix', () => {
    expect(() => parseLocationRef('https://example.com/a.yaml')).toThrow(
      "Location ref 'https://example.com/a.yaml' is an address without a type; prefix it with 'url:', as in 'url:https://example.com/a.yaml'.",
    );
  });

  it('rejects a value that is not a string', () => {
    expect(() => parseLocationRef(7 as unknown as string)).toThrow(
      `Location ref 7 is not a string; ${FORM}`,
    );
  });
});

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
