import { InputError } from '@plinth/errors';
import { parseLocationRef } from './parseLocationRef';

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
