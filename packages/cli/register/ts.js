'use strict';
// Node loads a -r hook before any transpiler, so it is CommonJS JavaScript.
/* eslint-disable @typescript-eslint/no-require-imports */
/* global __dirname, Buffer */
/**
 * `node -r ./packages/cli/register/ts.js`: runs TypeScript sources as
 * `sucrase/register/ts` does, with the same transforms and inline source
 * map, but keeps each file's output in `node_modules/.cache/plinth-sucrase`.
 * Transpiling was a quarter of the CPU time of `yarn start` (1.6 MiB of
 * sources each start); reading the output back costs a few milliseconds.
 *
 * An entry is used only while its file's text, path, the sucrase version and
 * SUCRASE_OPTIONS are those it was made from, so an edit takes effect on the
 * next start as before. One entry per source file, replaced when it goes
 * stale, so the cache does not grow with edits.
 *
 * `node packages/cli/register/ts.js --warm` (run by `yarn install`) fills
 * the cache for every source file of the workspaces, so that the first
 * start of a fresh clone does not transpile either. PLINTH_TRANSPILE_CACHE
 * names another cache folder.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const cacheDir =
  process.env.PLINTH_TRANSPILE_CACHE ||
  path.join(root, 'node_modules/.cache/plinth-sucrase');
const sucraseDir = path.dirname(require.resolve('sucrase/package.json'));
const { addHook } = require(
  require.resolve('pirates', { paths: [sucraseDir] }),
);
const { version } = require('sucrase/package.json');
const options = {
  transforms: ['imports', 'typescript'],
  // Node 20 runs ES2022 as it is, and the tests compile it as it is
  // (tsconfig's target): rewriting `?.`, `??` and class fields into helper
  // calls only cost CPU, 12% of a catalog read, and gave class fields other
  // semantics than the tests check.
  disableESTransforms: true,
  ...(process.env.SUCRASE_OPTIONS && JSON.parse(process.env.SUCRASE_OPTIONS)),
};
// Bump when what transpile() adds around sucrase's output changes.
const outputFormat = 1;
const salt = `${outputFormat}\0${version}\0${JSON.stringify(options)}\0`;

/** What `sucrase/register/ts` would hand to Node for this file. */
function transpile(code, filePath) {
  // Loaded on a cache miss only: most starts need none of it.
  const { transform } = require('sucrase');
  const result = transform(code, {
    ...options,
    sourceMapOptions: { compiledFilename: filePath },
    filePath,
  });
  const map = Buffer.from(JSON.stringify(result.sourceMap)).toString('base64');
  return `${result.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`;
}

function hash(text) {
  return crypto.createHash('sha1').update(text).digest('hex');
}

/** The transpiled form of a file, from the cache when it is current. */
function transpileCached(code, filePath) {
  const key = `// ${hash(salt + filePath + '\0' + code)}\n`;
  const entry = path.join(cacheDir, `${hash(filePath)}.js`);
  try {
    const cached = fs.readFileSync(entry, 'utf8');
    if (cached.startsWith(key)) {
      return cached.slice(key.length);
    }
  } catch {
    // Not cached yet.
  }
  const output = transpile(code, filePath);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Renamed into place, so a process starting meanwhile never reads half.
    const temporary = `${entry}.${crypto.randomUUID()}`;
    fs.writeFileSync(temporary, key + output);
    fs.renameSync(temporary, entry);
  } catch {
    // A read-only checkout still runs, transpiling each start.
  }
  return output;
}

/** Every TypeScript source of the workspaces, tests and fixtures aside. */
function workspaceSources() {
  const files = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__fixtures__' && entry.name !== 'node_modules') {
          walk(file);
        }
      } else if (/(?<!\.test)\.ts$/.test(entry.name)) {
        files.push(file);
      }
    }
  };
  for (const group of ['packages', 'plugins']) {
    for (const workspace of fs.readdirSync(path.join(root, group))) {
      const src = path.join(root, group, workspace, 'src');
      if (fs.existsSync(src)) {
        walk(src);
      }
    }
  }
  return files;
}

if (require.main === module && process.argv[2] === '--warm') {
  for (const file of workspaceSources()) {
    try {
      transpileCached(fs.readFileSync(file, 'utf8'), file);
    } catch {
      // A file that does not parse (work in progress, a conflict) must not
      // fail `yarn install`; loading it reports the error where it is.
    }
  }
} else {
  addHook(transpileCached, { exts: ['.ts'] });
}
