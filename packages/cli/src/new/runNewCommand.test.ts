import { PassThrough } from 'node:stream';
import { createReadlinePrompter } from '../createReadlinePrompter';
import { runNewCommand } from './runNewCommand';
import type { InstallRunner } from './runYarnInstall';
import { createTestWorkspace } from './TestWorkspace.fixture';

const succeed: InstallRunner = async () => ({ exitCode: 0, output: '' });

async function run(
  argv: string[],
  options: {
    answers?: string[];
    workspace?: ReturnType<typeof createTestWorkspace>;
  } = {},
) {
  const workspace = options.workspace ?? createTestWorkspace();
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const input = new PassThrough();
  input.end(options.answers?.map(line => `${line}\n`).join(''));
  let prompters = 0;
  await runNewCommand({
    argv,
    cwd: workspace.root,
    stdout,
    prompter: options.answers
      ? () => {
          prompters += 1;
          return createReadlinePrompter({ input, output: stdout });
        }
      : undefined,
    install: succeed,
    templatesDir: workspace.templatesDir,
  });
  return { workspace, printed, prompters };
}

describe('runNewCommand', () => {
  it('creates a plugin from flags alone and prints how to add it to the backend', async () => {
    const { workspace, printed } = await run([
      '--select',
      'backend-plugin',
      '--option',
      'pluginId=todo',
    ]);
    expect(workspace.exists('plugins/todo-backend/package.json')).toBe(true);
    expect(printed).toBe(`Created plugins/todo-backend; running yarn install...

Created plugins/todo-backend (@plinth/plugin-todo-backend) from the 'backend-plugin' template.

Next steps:
  1. Add it to the backend; it then serves http://localhost:7007/api/todo/todos:
       yarn workspace backend add @plinth/plugin-todo-backend@workspace:^
     and in packages/backend/src/index.ts, before backend.start():
       backend.add(import('@plinth/plugin-todo-backend'));
  2. Run it alone:
       yarn workspace @plinth/plugin-todo-backend start
  3. Test it:
       yarn test plugins/todo-backend/
`);
  });

  it('asks for the template and ids the flags leave out', async () => {
    const { workspace, printed } = await run(['--skip-install'], {
      answers: ['backend-module', 'catalog', 'Bad', 'lifecycle-defaults'],
    });
    expect(
      workspace.exists(
        'plugins/catalog-backend-module-lifecycle-defaults/package.json',
      ),
    ).toBe(true);
    expect(printed).toContain(
      "Module id: Invalid module id 'Bad': it becomes part of a package name, and package names are lowercase; use 'bad'.\nModule id: ",
    );
    expect(printed).toContain(
      `Next steps:
  1. Link it into the workspace:
       yarn install
  2. Add it to the backend, next to plugin 'catalog':`,
    );
  });

  it('asks again when the last answer names a folder that exists', async () => {
    const workspace = createTestWorkspace();
    workspace.write('plugins/todo-backend/package.json', '{}');
    const { printed } = await run(['--select', 'backend-plugin'], {
      workspace,
      answers: ['todo', 'tasks'],
    });
    expect(printed).toContain(
      'Plugin id: Cannot create plugins/todo-backend: the folder already exists',
    );
    expect(workspace.exists('plugins/tasks-backend/package.json')).toBe(true);
  });

  it('makes no prompter when the flags give every answer', async () => {
    const { prompters } = await run(
      ['--select', 'node-library', '--option', 'pluginId=todo'],
      { answers: [] },
    );
    expect(prompters).toBe(0);
  });

  it('asks for the plugin id again when that plugin has no node library for a module', async () => {
    const { workspace, printed } = await run(['--select', 'backend-module'], {
      answers: ['todo', 'catalog', 'owners'],
    });
    expect(printed).toContain(
      "Plugin id: Cannot create a module for plugin 'todo': the module adds an action through 'todoActionsExtensionPoint' from '@plinth/plugin-todo-node', and plugins/todo-node does not exist.",
    );
    expect(
      workspace.exists('plugins/catalog-backend-module-owners/package.json'),
    ).toBe(true);
  });

  it('checks the ids given as flags before asking anything', async () => {
    await expect(
      run(['--select', 'backend-module', '--option', 'pluginId=Todo'], {
        answers: ['slack'],
      }),
    ).rejects.toMatchObject({
      code: 'NEW_INVALID_ANSWER',
      message: expect.stringContaining(
        "Invalid plugin id 'Todo': it becomes part of a package name, and package names are lowercase; use 'todo'.",
      ),
    });
    await expect(
      run(['--select', 'backend-module', '--option', 'pluginId=todo'], {
        answers: ['slack'],
      }),
    ).rejects.toMatchObject({
      code: 'NEW_NODE_LIBRARY_MISSING',
      message: expect.stringContaining(
        "Cannot create a module for plugin 'todo': the module adds an action",
      ),
    });
  });

  it('tells how to use a node library from its plugin', async () => {
    const { printed } = await run([
      '--select',
      'node-library',
      '--option',
      'pluginId=todo',
    ]);
    expect(printed).toContain(
      `  1. Use it from the plugin, and register the extension point in its src/plugin.ts (see plugins/todo-node/README.md):
       yarn workspace @plinth/plugin-todo-backend add @plinth/plugin-todo-node@workspace:^
       env.registerExtensionPoint(todoActionsExtensionPoint, { addActions(...actions) { ... } });`,
    );
  });

  it('requires every answer as a flag when there is no terminal to ask in', async () => {
    await expect(run([])).rejects.toMatchObject({
      code: 'NEW_MISSING_ANSWER',
      message: expect.stringContaining(
        "Missing template: pass --select <template> with one of 'backend-plugin', 'backend-module' and 'node-library', or run yarn new in a terminal to be asked.",
      ),
    });
    await expect(run(['--select', 'backend-module'])).rejects.toMatchObject({
      code: 'NEW_MISSING_ANSWER',
      message: expect.stringContaining(
        "Missing 'pluginId' and 'moduleId': template 'backend-module' needs --option pluginId=<id> --option moduleId=<id>, or run yarn new in a terminal to be asked.",
      ),
    });
  });

  it('rejects an unknown template and an option the template does not take', async () => {
    await expect(run(['--select', 'frontend-plugin'])).rejects.toMatchObject({
      code: 'NEW_UNKNOWN_TEMPLATE',
      message: expect.stringContaining(
        "Unknown template 'frontend-plugin' in --select: choose one of 'backend-plugin', 'backend-module' and 'node-library'.",
      ),
    });
    await expect(
      run([
        '--select',
        'node-library',
        '--option',
        'pluginId=todo',
        '--option',
        'moduleId=x',
      ]),
    ).rejects.toMatchObject({
      code: 'NEW_INVALID_ARGUMENTS',
      message: expect.stringContaining(
        "Template 'node-library' takes 'pluginId', not 'moduleId': remove that --option.",
      ),
    });
  });

  it('prints the usage for --help and creates nothing', async () => {
    const { workspace, printed } = await run(['--help']);
    expect(printed).toContain(
      'Usage: yarn new [--select <template>] [--option <name>=<id>]...',
    );
    expect(printed).toContain('  backend-module  a module that extends');
    expect(workspace.list('plugins')).toEqual([]);
  });
});
