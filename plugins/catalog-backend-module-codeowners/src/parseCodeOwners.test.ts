import { parseCodeOwners } from './parseCodeOwners';

describe('parseCodeOwners', () => {
  it('reads each rule with its owners and line', () => {
    expect(
      parseCodeOwners(
        '* @acme/platform\n\n/docs/   @acme/writers  jane@acme.com\r\n',
      ),
    ).toEqual([
      { pattern: '*', owners: ['@acme/platform'], line: 1 },
      {
        pattern: '/docs/',
        owners: ['@acme/writers', 'jane@acme.com'],
        line: 3,
      },
    ]);
  });

  it('skips comments, inline comments included', () => {
    expect(
      parseCodeOwners('# owners\n  # indented\n*.md @docs # the writers\n'),
    ).toEqual([{ pattern: '*.md', owners: ['@docs'], line: 3 }]);
  });

  it('keeps a rule without owners, which removes ownership', () => {
    expect(parseCodeOwners('/vendor/\n')).toEqual([
      { pattern: '/vendor/', owners: [], line: 1 },
    ]);
  });

  it('skips section headers and negated patterns', () => {
    expect(
      parseCodeOwners(
        '[Docs] @acme/writers\n^[Optional]\n!/keep.md @a\n/b @b\n',
      ),
    ).toEqual([{ pattern: '/b', owners: ['@b'], line: 4 }]);
  });

  it('reads an escaped # as the start of a pattern', () => {
    expect(parseCodeOwners('\\#notes.md @a\n')).toEqual([
      { pattern: '#notes.md', owners: ['@a'], line: 1 },
    ]);
  });
});
