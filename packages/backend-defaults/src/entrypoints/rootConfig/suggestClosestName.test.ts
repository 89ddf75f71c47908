import { suggestClosestName } from './suggestClosestName';

describe('suggestClosestName', () => {
  it('suggests the closest name within a third of its length, ignoring case', () => {
    expect(suggestClosestName('listn', ['baseUrl', 'listen'])).toBe('listen');
    expect(suggestClosestName('BASEURL', ['baseUrl', 'listen'])).toBe(
      'baseUrl',
    );
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(suggestClosestName('nmae', ['name', 'mode'])).toBe('name');
  });

  it('suggests nothing when no name is close', () => {
    expect(suggestClosestName('address', ['host', 'port'])).toBeUndefined();
    expect(suggestClosestName('x', [])).toBeUndefined();
  });
});
