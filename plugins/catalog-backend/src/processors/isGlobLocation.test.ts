import { isGlobLocation } from './isGlobLocation';

describe('isGlobLocation', () => {
  it('finds a pattern in the path of a url target', () => {
    expect(
      isGlobLocation({
        type: 'url',
        target:
          'https://git.example.com/org/repo/blob/main/**/catalog-info.yaml',
      }),
    ).toBe(true);
  });

  it('ignores the query of a url target', () => {
    expect(
      isGlobLocation({
        type: 'url',
        target: 'https://git.example.com/catalog-info.yaml?ref=main',
      }),
    ).toBe(false);
  });

  it('treats a url target that is not a URL as a single file', () => {
    expect(isGlobLocation({ type: 'url', target: 'not a url/*' })).toBe(false);
  });

  it('finds glob syntax in a file target', () => {
    expect(
      isGlobLocation({ type: 'file', target: '/repo/*/catalog.yaml' }),
    ).toBe(true);
    expect(isGlobLocation({ type: 'file', target: '/repo/{a,b}.yaml' })).toBe(
      true,
    );
    expect(isGlobLocation({ type: 'file', target: '/repo/a.yaml' })).toBe(
      false,
    );
  });
});
