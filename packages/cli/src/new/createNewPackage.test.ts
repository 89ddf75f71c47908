import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  alignDependencyRanges,
  createNewPackage,
  renderTemplate,
} from './createNewPackage';
import type { NewAnswers } from './newTemplates';
import type { InstallRunner } from './runYarnInstall';
import { createTestWorkspace } from './TestWorkspace.fixture';

const succeed: InstallRunner = async () => ({ exitCode: 0, output: '' });

function create(
  workspace: ReturnType<typeof createTestWorkspace>,
  answers: NewAnswers,
  install: InstallRunner | false = succeed,
) {
  return createNewPackage({
    answers,
    cwd: workspace.root,
    install,
    templatesDir: workspace.templatesDir,
  });
}

describe('createNewPackage', () => {
  it('renders every token into paths and contents, formatted with the repository Prettier config', async () => {
    const workspace = createTestWorkspace();
    const created = await create(workspace, {
      template: 'backend-plugin',
      options: { pluginId: 'ticket-desk' },
    });

    expect(created).toMatchObject({
      dir: 'plugins/ticket-desk-backend',
      packageName: '@plinth/plugin-ticket-desk-backend',
      template: 'backend-plugin',
      installed: true,
    });
    expect(workspace.list('plugins')).toEqual([
      'plugins/ticket-desk-backend/package.json',
      'plugins/ticket-desk-backend/src/ticketDeskPlugin.ts',
    ]);
    expect(
      workspace.read('plugins/ticket-desk-backend/src/ticketDeskPlugin.ts'),
    ).toBe(
      `export const ticketDeskPlugin = {
  id: 'ticket-desk',
  name: 'TicketDesk',
  table: 'ticket_desk',
  dir: 'plugins/ticket-desk-backend',
};
`,
    );
  });

  it('gives third-party dependencies the range the repository already uses', async () => {
    const workspace = createTestWorkspace();
    await create(workspace, {
      template: 'backend-plugin',
      options: { pluginId: 'todo' },
    });

    const manifest = JSON.parse(
      workspace.read('plugins/todo-backend/package.json'),
    );
    expect(manifest.dependencies).toEqual({
      '@plinth/backend-plugin-api': 'workspace:^',
      knex: '^3.3.0',
      'left-pad': '^1.0.0',
    });
  });

  it('runs the install in the workspace root after the files are in place', async () => {
    const workspace = createTestWorkspace();
    let filesInPlace = false;
    const install = jest.fn<ReturnType<InstallRunner>, [string]>(async () => {
      filesInPlace = workspace.exists('plugins/todo-backend/package.json');
      return { exitCode: 0, output: '' };
    });
    await create(
      workspace,
      { template: 'backend-plugin', options: { pluginId: 'todo' } },
      install,
    );
    expect(install).toHaveBeenCalledWith(workspace.root);
    expect(filesInPlace).toBe(true);
  });

  it('skips the install when told to', async () => {
    const workspace = createTestWorkspace();
    const created = await create(
      workspace,
      { template: 'node-library', options: { pluginId: 'todo' } },
      false,
    );
    expect(created.installed).toBe(false);
    expect(workspace.exists('plugins/todo-node/src/index.ts')).toBe(true);
  });

  it('names the processor class of a catalog module without repeating Processor', async () => {
    const workspace = createTestWorkspace();
    workspace.write(
      '.templates/catalog-backend-module/src/{{processorClass}}.ts.tmpl',
      'export class {{processorClass}} {}\n',
    );
    await create(workspace, {
      template: 'backend-module',
      options: { pluginId: 'catalog', moduleId: 'my-processor' },
    });
    expect(
      workspace.read(
        'plugins/catalog-backend-module-my-processor/src/MyProcessor.ts',
      ),
    ).toBe('export class MyProcessor {}\n');
  });

  it('creates a catalog module from the catalog template', async () => {
    const workspace = createTestWorkspace();
    await create(workspace, {
      template: 'backend-module',
      options: { pluginId: 'catalog', moduleId: 'lifecycle-defaults' },
    });
    expect(
      workspace.read(
        'plugins/catalog-backend-module-lifecycle-defaults/src/module.ts',
      ),
    ).toBe(`export const catalog = 'lifecycle-defaults';\n`);
  });

  it("creates a module of another plugin against that plugin's node library", async () => {
    const workspace = createTestWorkspace();
    await create(workspace, {
      template: 'node-library',
      options: { pluginId: 'todo' },
    });
    await create(workspace, {
      template: 'backend-module',
      options: { pluginId: 'todo', moduleId: 'slack-notify' },
    });
    const dir = 'plugins/todo-backend-module-slack-notify';
    expect(workspace.read(`${dir}/src/module.ts`)).toBe(
      `export const id = 'todo.slack-notify/slackNotify/SlackNotify/slack_notify';\n`,
    );
    expect(
      JSON.parse(workspace.read(`${dir}/package.json`)).dependencies,
    ).toEqual({ '@plinth/plugin-todo-node': 'workspace:^' });
  });

  it('removes the package and restores yarn.lock when the install fails', async () => {
    const workspace = createTestWorkspace();
    const failing: InstallRunner = async root => {
      workspace.write('yarn.lock', '# half-written by a failed install\n');
      return {
        exitCode: 1,
        output: `resolving...\n${root}: YN0035: package 'left-pad' not found\n`,
      };
    };
    await expect(
      create(
        workspace,
        { template: 'backend-plugin', options: { pluginId: 'todo' } },
        failing,
      ),
    ).rejects.toThrow(
      `yarn install failed with exit code 1, so plugins/todo-backend was removed again and yarn.lock restored. Fix what Yarn reports below, then run yarn new again.\nresolving...\n${workspace.root}: YN0035: package 'left-pad' not found`,
    );
    expect(workspace.list('plugins')).toEqual([]);
    expect(workspace.read('yarn.lock')).toBe('# the lockfile before\n');
  });

  it('removes the package and restores yarn.lock when Ctrl-C interrupts the install', async () => {
    const workspace = createTestWorkspace();
    const interrupted: InstallRunner = async () => {
      workspace.write('yarn.lock', '# half-written\n');
      // Ctrl-C reaches the install and the command alike; the command's
      // own handler is the one registered last.
      const listeners = process.listeners('SIGINT');
      listeners[listeners.length - 1]('SIGINT');
      return { exitCode: 130, output: '' };
    };
    await expect(
      create(
        workspace,
        { template: 'node-library', options: { pluginId: 'todo' } },
        interrupted,
      ),
    ).rejects.toMatchObject({
      name: 'NewCancelledError',
      message:
        'Interrupted during yarn install, so plugins/todo-node was removed again and yarn.lock restored.',
    });
    expect(workspace.list('plugins')).toEqual([]);
    expect(workspace.read('yarn.lock')).toBe('# the lockfile before\n');
  });

  it('names a workspace package.json that is not valid JSON', async () => {
    const workspace = createTestWorkspace();
    workspace.write('plugins/broken/package.json', '{ "name": ');
    await expect(
      create(workspace, {
        template: 'backend-plugin',
        options: { pluginId: 'todo' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_INVALID_MANIFEST',
      message: expect.stringMatching(
        new RegExp(
          `^Cannot read ${workspace.root}/plugins/broken/package\\.json: it is not valid JSON \\(.+\\)\\. Fix it; yarn new reads every workspace package\\.json to check names and versions\\.$`,
        ),
      ),
    });
    expect(workspace.exists('plugins/todo-backend')).toBe(false);
  });

  it('ignores hidden folders, such as one a killed run left behind', async () => {
    const workspace = createTestWorkspace();
    workspace.write(
      'plugins/.todo-backend.yarn-new-123/package.json',
      JSON.stringify({ name: '@plinth/plugin-todo-backend' }),
    );
    await create(workspace, {
      template: 'backend-plugin',
      options: { pluginId: 'todo' },
    });
    expect(workspace.exists('plugins/todo-backend/package.json')).toBe(true);
  });

  it('refuses an existing folder and leaves it untouched', async () => {
    const workspace = createTestWorkspace();
    workspace.write('plugins/todo-backend/notes.md', 'mine\n');
    await expect(
      create(workspace, {
        template: 'backend-plugin',
        options: { pluginId: 'todo' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_TARGET_TAKEN',
      message: expect.stringContaining(
        'Cannot create plugins/todo-backend: the folder already exists, and yarn new never overwrites files. Choose another id, or move the folder away first.',
      ),
    });
    expect(workspace.list('plugins')).toEqual([
      'plugins/todo-backend/notes.md',
    ]);
  });

  it('refuses a package name another workspace package has', async () => {
    const workspace = createTestWorkspace();
    workspace.write(
      'plugins/legacy/package.json',
      JSON.stringify({ name: '@plinth/plugin-todo-backend' }),
    );
    await expect(
      create(workspace, {
        template: 'backend-plugin',
        options: { pluginId: 'todo' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_TARGET_TAKEN',
      message: expect.stringContaining(
        "Cannot create plugins/todo-backend: the package name '@plinth/plugin-todo-backend' is taken by plugins/legacy. Choose another id.",
      ),
    });
    expect(workspace.exists('plugins/todo-backend')).toBe(false);
  });

  it('reports every invalid id at once and writes nothing', async () => {
    const workspace = createTestWorkspace();
    await expect(
      create(workspace, {
        template: 'backend-module',
        options: { pluginId: '1st', moduleId: 'Slack' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_INVALID_ANSWER',
      message: expect.stringContaining(
        "Invalid plugin id '1st': use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.\nInvalid module id 'Slack': it becomes part of a package name, and package names are lowercase; use 'slack'.",
      ),
    });
    expect(workspace.list('plugins')).toEqual([]);
  });

  it("refuses a plugin id that repeats the template's suffix", async () => {
    const workspace = createTestWorkspace();
    await expect(
      create(workspace, {
        template: 'backend-plugin',
        options: { pluginId: 'todo-backend' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_INVALID_ANSWER',
      message: expect.stringContaining(
        "Invalid plugin id 'todo-backend': the package goes to plugins/<pluginId>-backend, which adds '-backend' itself; use 'todo'.",
      ),
    });
    await expect(
      create(workspace, {
        template: 'node-library',
        options: { pluginId: 'todo-node' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_INVALID_ANSWER',
      message: expect.stringContaining(
        "Invalid plugin id 'todo-node': the package goes to plugins/<pluginId>-node, which adds '-node' itself; use 'todo'.",
      ),
    });
  });

  it('refuses a module of a plugin without a node library', async () => {
    const workspace = createTestWorkspace();
    await expect(
      create(workspace, {
        template: 'backend-module',
        options: { pluginId: 'todo', moduleId: 'slack' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_NODE_LIBRARY_MISSING',
      message: expect.stringContaining(
        "Cannot create a module for plugin 'todo': the module adds an action through 'todoActionsExtensionPoint' from '@plinth/plugin-todo-node', and plugins/todo-node does not exist. Create the library first with 'yarn new --select node-library --option pluginId=todo', or use pluginId 'catalog' for a catalog module.",
      ),
    });
    expect(workspace.list('plugins')).toEqual([]);
  });

  it('refuses a module when the node library folder holds another package', async () => {
    const workspace = createTestWorkspace();
    workspace.write(
      'plugins/todo-node/package.json',
      JSON.stringify({ name: 'todo-helpers' }),
    );
    await expect(
      create(workspace, {
        template: 'backend-module',
        options: { pluginId: 'todo', moduleId: 'slack' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_NODE_LIBRARY_MISSING',
      message: expect.stringContaining(
        "Cannot create a module for plugin 'todo': the module adds an action through 'todoActionsExtensionPoint' from '@plinth/plugin-todo-node', and plugins/todo-node is named 'todo-helpers'. Create the library first with 'yarn new --select node-library --option pluginId=todo', or use pluginId 'catalog' for a catalog module.",
      ),
    });
  });

  it('refuses a module when the node library no longer exports the extension point', async () => {
    const workspace = createTestWorkspace();
    workspace.write(
      'plugins/todo-node/package.json',
      JSON.stringify({ name: '@plinth/plugin-todo-node' }),
    );
    workspace.write('plugins/todo-node/src/index.ts', 'export {};\n');
    await expect(
      create(workspace, {
        template: 'backend-module',
        options: { pluginId: 'todo', moduleId: 'slack' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_NODE_LIBRARY_MISSING',
      message: expect.stringContaining(
        "Cannot create a module for plugin 'todo': the module adds an action through 'todoActionsExtensionPoint', and plugins/todo-node/src/index.ts does not export it. Export it again, or write the module by hand against the extension points the library has.",
      ),
    });
  });

  it('refuses a folder no workspace glob covers', async () => {
    const workspace = createTestWorkspace();
    workspace.write(
      'package.json',
      JSON.stringify({ private: true, workspaces: ['packages/*'] }),
    );
    await expect(
      create(workspace, {
        template: 'backend-plugin',
        options: { pluginId: 'todo' },
      }),
    ).rejects.toMatchObject({
      code: 'NEW_FOLDER_NOT_IN_WORKSPACE',
      message: expect.stringContaining(
        "Cannot create plugins/todo-backend: no workspace glob in the root package.json covers it (packages/*). Add 'plugins/*' to 'workspaces'.",
      ),
    });
  });

  it('refuses to run outside a workspace', async () => {
    await expect(
      createNewPackage({
        answers: { template: 'backend-plugin', options: { pluginId: 'x' } },
        cwd: '/',
      }),
    ).rejects.toMatchObject({
      code: 'NEW_NO_WORKSPACE',
      message: expect.stringContaining(
        "No Yarn workspace root at or above '/': yarn new adds packages to a repository whose package.json declares 'workspaces'. Run it inside the Plinth repository.",
      ),
    });
  });
});

function templateWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-template-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('renderTemplate', () => {
  it('fills tokens in paths and contents and drops the .tmpl suffix', () => {
    const dir = templateWith({
      'src/{{name}}Plugin.ts.tmpl': "export const id = '{{id}}'; // {{id}}\n",
      'README.md.tmpl': '# {{id}}\n',
    });
    expect(renderTemplate(dir, { id: 'todo', name: 'todo' })).toEqual([
      { path: 'README.md', content: '# todo\n' },
      {
        path: 'src/todoPlugin.ts',
        content: "export const id = 'todo'; // todo\n",
      },
    ]);
  });

  it('names the file and the token it has no value for', () => {
    const dir = templateWith({ 'index.ts.tmpl': '{{missing}}\n' });
    expect(() => renderTemplate(dir, { id: 'x' })).toThrow(
      `Template file '${path.join(dir, 'index.ts.tmpl')}' uses {{missing}}, which this template has no value for; use one of id.`,
    );
  });

  it('names a template file without the suffix', () => {
    const dir = templateWith({ 'index.ts': '' });
    expect(() => renderTemplate(dir, {})).toThrow(
      `Template file '${path.join(dir, 'index.ts')}' does not end in '.tmpl'; rename it, so that the repository's tools skip it.`,
    );
  });
});

describe('alignDependencyRanges', () => {
  it('takes the most common range of each dependency and keeps workspace and unknown ones', () => {
    const aligned = alignDependencyRanges(
      {
        name: 'new',
        dependencies: { express: '^5.0.0', '@plinth/errors': 'workspace:^' },
        devDependencies: { supertest: '^7.0.0', brandnew: '^1.0.0' },
      },
      [
        { dependencies: { express: '^5.1.0' } },
        { dependencies: { express: '^5.1.0' } },
        { devDependencies: { express: '^5.0.1', supertest: '^7.3.2' } },
      ],
    );
    expect(aligned).toEqual({
      name: 'new',
      dependencies: { express: '^5.1.0', '@plinth/errors': 'workspace:^' },
      devDependencies: { supertest: '^7.3.2', brandnew: '^1.0.0' },
    });
  });
});
