import fs from 'node:fs';
import path from 'node:path';
import {
  listSourceFiles,
  readWorkspacePackages,
  repositoryRoot,
} from './workspacePackages';

/** Every error class declared with an explicit name, by package. */
const errorsByPackage = readWorkspacePackages().map(pkg => ({
  dir: pkg.dir,
  names: listSourceFiles(pkg.dir).flatMap(file => {
    const source = fs.readFileSync(path.join(repositoryRoot, file), 'utf8');
    return [...source.matchAll(/^\s+readonly name = '(\w+)' as const;/gm)].map(
      m => m[1],
    );
  }),
}));

describe('error catalogue', () => {
  it('gives every error class a name no other class uses', () => {
    const names = errorsByPackage.flatMap(p => p.names);
    const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
    expect(duplicates).toEqual([]);
  });

  it.each(
    errorsByPackage
      .filter(p => p.names.length > 0)
      .map(p => [p.dir, p.names] as const),
  )('lists every error of %s in its README', (dir, names) => {
    const readmePath = path.join(repositoryRoot, dir, 'README.md');
    const readme = fs.existsSync(readmePath)
      ? fs.readFileSync(readmePath, 'utf8')
      : '';
    // A row of the README's errors table, however Prettier pads it.
    const listed = (name: string) =>
      new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`, 'm').test(readme);
    const missing = names.filter(name => !listed(name));
    expect(missing).toEqual([]);
  });
});
