import fs from 'node:fs';
import path from 'node:path';
import { readWorkspacePackages, repositoryRoot } from './workspacePackages';

/** The rows of the README's table of Backstage and Plinth package names. */
function readImportMap(): Array<{ plinth: string[]; names: string[] }> {
  const readme = fs.readFileSync(
    path.join(repositoryRoot, 'README.md'),
    'utf8',
  );
  const start = readme.indexOf('| Backstage ');
  const table = readme.slice(start, readme.indexOf('\n\n', start));
  return table
    .split('\n')
    .slice(2)
    .map(row => {
      const [, plinth, names] = row.split('|').slice(1, -1);
      const quoted = (cell: string) =>
        [...cell.matchAll(/`([^`]+)`/g)].map(match => match[1]);
      return {
        // A subpath named among the examples, such as '.../alpha', counts.
        plinth: [...quoted(plinth), ...quoted(names)].filter(specifier =>
          specifier.startsWith('@plinth/'),
        ),
        names: quoted(names).filter(name => /^[A-Za-z]\w*$/.test(name)),
      };
    });
}

const packageDirs = new Map(
  readWorkspacePackages().map(({ name, dir }) => [name, dir]),
);

/**
 * The source of a package's entry point (or subpath), with the modules it
 * re-exports wholesale, in which an exported name must appear.
 */
function readEntrySource(specifier: string): string {
  const [scope, name, ...subpath] = specifier.split('/');
  const dir = packageDirs.get(`${scope}/${name}`);
  if (!dir) {
    throw new Error(`'${specifier}' is not a workspace package.`);
  }
  const manifest = JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, dir, 'package.json'), 'utf8'),
  ) as { main: string; exports?: Record<string, string> };
  const entry =
    subpath.length === 0
      ? manifest.main
      : manifest.exports?.[`./${subpath.join('/')}`];
  if (!entry) {
    throw new Error(`'${specifier}' is not exported by its package.`);
  }
  const read = (file: string): string => {
    const text = fs.readFileSync(file, 'utf8');
    const wholesale = [...text.matchAll(/export \* from '(\.[^']+)'/g)].map(
      match => {
        const target = path.resolve(path.dirname(file), match[1]);
        return read(
          fs.existsSync(`${target}.ts`)
            ? `${target}.ts`
            : path.join(target, 'index.ts'),
        );
      },
    );
    return [text, ...wholesale].join('\n');
  };
  return read(path.join(repositoryRoot, dir, entry));
}

describe("the README's map of Backstage package names", () => {
  const rows = readImportMap();

  it('has a row for each package a Backstage guide imports from', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows.map(row => [row.plinth.join(' or '), row]))(
    'names only what %s exports',
    (_, row) => {
      const sources = row.plinth.map(readEntrySource).join('\n');
      const missing = row.names.filter(
        name => !new RegExp(`\\b${name}\\b`).test(sources),
      );
      expect(missing).toEqual([]);
    },
  );
});
