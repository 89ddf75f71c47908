import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A throwaway workspace for tests, with small templates of its own. */
export interface TestWorkspace {
  root: string;
  templatesDir: string;
  write(file: string, content: string): void;
  read(file: string): string;
  exists(file: string): boolean;
  /** Every file below `dir`, relative to the root, sorted. */
  list(dir?: string): string[];
}

const created: string[] = [];
afterAll(() => {
  for (const dir of created) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Makes a workspace root with `plugins/*` and `packages/*` globs, a
 * yarn.lock, a backend package, and one tiny template per template name,
 * each with a package.json and a source file that use every token.
 */
export function createTestWorkspace(): TestWorkspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-cli-test-'));
  created.push(root);
  const templatesDir = path.join(root, '.templates');
  const write = (file: string, content: string) => {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  };
  write(
    'package.json',
    JSON.stringify({
      private: true,
      workspaces: ['packages/*', 'plugins/*'],
      devDependencies: { prettier: '^3.6.0' },
    }),
  );
  write('.prettierrc.json', JSON.stringify({ singleQuote: true }));
  write('yarn.lock', '# the lockfile before\n');
  write(
    'packages/backend/package.json',
    JSON.stringify({ name: 'backend', dependencies: { knex: '^3.3.0' } }),
  );
  const manifest = (deps: string) =>
    `{"name": "{{packageName}}", "dependencies": {${deps}}}\n`;
  const templates: Record<string, Record<string, string>> = {
    'backend-plugin': {
      'package.json.tmpl': manifest(
        '"@plinth/backend-plugin-api": "workspace:^", "knex": "^3.0.0", "left-pad": "^1.0.0"',
      ),
      'src/{{pluginIdCamel}}Plugin.ts.tmpl':
        'export const {{pluginIdCamel}}Plugin = { id: "{{pluginId}}", name: "{{pluginIdPascal}}", table: "{{pluginIdSnake}}", dir: "{{packageDir}}" }\n',
    },
    'backend-module': {
      'package.json.tmpl': manifest('"{{nodePackageName}}": "workspace:^"'),
      'src/module.ts.tmpl':
        'export const id = "{{pluginId}}.{{moduleId}}/{{moduleIdCamel}}/{{moduleIdPascal}}/{{moduleIdSnake}}";\n',
    },
    'catalog-backend-module': {
      'package.json.tmpl': manifest(''),
      'src/module.ts.tmpl': 'export const catalog = "{{moduleId}}";\n',
    },
    'node-library': {
      'package.json.tmpl': manifest(''),
      'src/index.ts.tmpl':
        'export const {{pluginIdCamel}}ActionsExtensionPoint = { id: "{{pluginId}}.actions" };\n',
    },
  };
  for (const [template, files] of Object.entries(templates)) {
    for (const [file, content] of Object.entries(files)) {
      write(path.join('.templates', template, file), content);
    }
  }
  const list = (dir = ''): string[] => {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) {
      return [];
    }
    return fs
      .readdirSync(full, { withFileTypes: true })
      .filter(entry => entry.name !== '.templates')
      .flatMap(entry => {
        const relative = path.posix.join(dir, entry.name);
        return entry.isDirectory() ? list(relative) : [relative];
      })
      .sort();
  };
  return {
    root,
    templatesDir,
    write,
    read: file => fs.readFileSync(path.join(root, file), 'utf8'),
    exists: file => fs.existsSync(path.join(root, file)),
    list,
  };
}
