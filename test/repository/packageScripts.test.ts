import fs from 'node:fs';
import path from 'node:path';
import { readWorkspacePackages, repositoryRoot } from './workspacePackages';

/**
 * Each package runs its own tests and lint from its folder, with the root's
 * Jest, ESLint and Prettier setup; these are the scripts that do it.
 */
const expectedScripts = {
  test: 'NODE_OPTIONS=--experimental-vm-modules yarn run -T jest --config ../../jest.config.js',
  lint: 'yarn run -T eslint --max-warnings 0 . && yarn run -T prettier --check --ignore-path ../../.prettierignore .',
};

describe('package scripts', () => {
  it.each(readWorkspacePackages().map(({ dir }) => dir))(
    'lets %s run its own tests and lint',
    dir => {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(repositoryRoot, dir, 'package.json'), 'utf8'),
      ) as { scripts?: Record<string, string> };
      expect(manifest.scripts).toMatchObject(expectedScripts);
    },
  );

  it.each(
    fs
      .readdirSync(path.join(repositoryRoot, 'packages/cli/templates'))
      .map(template => `packages/cli/templates/${template}/package.json.tmpl`),
  )('gives the packages of %s the same scripts', file => {
    const text = fs.readFileSync(path.join(repositoryRoot, file), 'utf8');
    for (const script of Object.values(expectedScripts)) {
      expect(text).toContain(JSON.stringify(script));
    }
  });
});
