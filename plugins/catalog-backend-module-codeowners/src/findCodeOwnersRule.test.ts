import { findCodeOwnersRule } from './findCodeOwnersRule';
import { parseCodeOwners } from './parseCodeOwners';

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
