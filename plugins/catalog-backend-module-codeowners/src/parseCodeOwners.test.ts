import {
  findCodeOwnersRule,
  parseCodeOwners,
  toOwnerRef,
} from './parseCodeOwners';

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

/** The first owner of the rule that decides, or null. */
function ownerOf(codeowners: string, filePath: string): string | null {
  return (
    findCodeOwnersRule(parseCodeOwners(codeowners), filePath)?.owners[0] ?? null
  );
}

describe('findCodeOwnersRule', () => {
  it('lets the last matching rule win', () => {
    const file = '* @all\n*.yaml @yaml\n/services/ @services\n';
    expect(ownerOf(file, 'services/cart/catalog-info.yaml')).toBe('@services');
    expect(ownerOf(file, 'catalog-info.yaml')).toBe('@yaml');
    expect(ownerOf(file, 'README.md')).toBe('@all');
  });

  it('matches a pattern without a slash at any depth', () => {
    expect(ownerOf('catalog-info.yaml @a\n', 'x/y/catalog-info.yaml')).toBe(
      '@a',
    );
    expect(ownerOf('apps/ @a\n', 'src/apps/cart/catalog-info.yaml')).toBe('@a');
  });

  it('anchors a pattern with a leading or inner slash at the root', () => {
    expect(ownerOf('/apps/ @a\n', 'src/apps/x.yaml')).toBeNull();
    expect(ownerOf('/apps/ @a\n', 'apps/deep/x.yaml')).toBe('@a');
    expect(ownerOf('apps/cart @a\n', 'apps/cart/x.yaml')).toBe('@a');
    expect(ownerOf('apps/cart @a\n', 'src/apps/cart/x.yaml')).toBeNull();
  });

  it('matches only the files directly in a folder for folder/*', () => {
    expect(ownerOf('docs/* @a\n', 'docs/x.md')).toBe('@a');
    expect(ownerOf('docs/* @a\n', 'docs/guide/x.md')).toBeNull();
    expect(ownerOf('docs/** @a\n', 'docs/guide/x.md')).toBe('@a');
  });

  it('matches folders only for a pattern ending with a slash', () => {
    expect(ownerOf('build/ @a\n', 'build')).toBeNull();
    expect(ownerOf('build/ @a\n', 'build/out.js')).toBe('@a');
  });

  it('matches dot files', () => {
    expect(ownerOf('* @a\n', '.github/catalog-info.yaml')).toBe('@a');
  });

  it('lets a later rule without owners remove ownership', () => {
    const rule = findCodeOwnersRule(
      parseCodeOwners('* @a\n/vendor/\n'),
      'vendor/x.yaml',
    );
    expect(rule).toEqual({ pattern: '/vendor/', owners: [], line: 2 });
  });

  it('finds no rule when nothing matches', () => {
    expect(
      findCodeOwnersRule(parseCodeOwners('/docs/ @a\n'), 'src/x.yaml'),
    ).toBeUndefined();
  });
});

const none = new Map<string, string>();

describe('toOwnerRef', () => {
  it('turns a team handle into the group of that name', () => {
    expect(toOwnerRef('@acme/team-a', none)).toBe('team-a');
  });

  it('turns a user handle and an email address into a user ref', () => {
    expect(toOwnerRef('@jane', none)).toBe('user:jane');
    expect(toOwnerRef('jane.doe@acme.com', none)).toBe('user:jane.doe');
  });

  it('prefers a configured mapping, comparing handles case-insensitively', () => {
    const mappings = new Map([['@acme/team-a', 'group:platform/team-alpha']]);
    expect(toOwnerRef('@ACME/Team-A', mappings)).toBe(
      'group:platform/team-alpha',
    );
  });

  it('knows no owner for a handle of another form', () => {
    expect(toOwnerRef('team-a', none)).toBeUndefined();
    expect(toOwnerRef('@a/b/c', none)).toBeUndefined();
  });
});
