import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createTestWorkspace } from './new/TestWorkspace.fixture';

const bin = path.join(__dirname, 'bin.ts');

/** Runs the command as `yarn new` does, without a terminal. */
function runBin(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(
    process.execPath,
    ['-r', require.resolve('sucrase/register/ts'), bin, ...args],
    { cwd, env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin', () => {
  it('exits with 1 and prints only the message for an invalid id, creating nothing', () => {
    const workspace = createTestWorkspace();
    const result = runBin(
      ['new', '--select', 'backend-plugin', '--option', 'pluginId=My_Plugin'],
      workspace.root,
    );
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "Invalid plugin id 'My_Plugin': use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.\n",
    });
    expect(workspace.list('plugins')).toEqual([]);
  });

  it('exits with 1 for an existing folder and leaves it as it was', () => {
    const workspace = createTestWorkspace();
    workspace.write('plugins/todo-node/package.json', '{"name":"mine"}');
    const result = runBin(
      ['new', '--select', 'node-library', '--option', 'pluginId=todo'],
      workspace.root,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Cannot create plugins/todo-node: the folder already exists, and yarn new never overwrites files. Choose another id, or move the folder away first.\n',
    );
    expect(workspace.list('plugins')).toEqual([
      'plugins/todo-node/package.json',
    ]);
    expect(workspace.read('plugins/todo-node/package.json')).toBe(
      '{"name":"mine"}',
    );
  });

  it('does not wait for answers without a terminal', () => {
    const workspace = createTestWorkspace();
    const result = runBin(['new'], workspace.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Missing template: pass --select/);
  });

  it('works in the folder yarn new was started from, and ignores the INIT_CWD of other scripts', () => {
    const workspace = createTestWorkspace();
    workspace.write('plugins/todo-node/package.json', '{}');
    const args = [
      'new',
      '--select',
      'node-library',
      '--option',
      'pluginId=todo',
    ];
    const fromSubfolder = runBin(args, '/', {
      npm_lifecycle_event: 'new',
      INIT_CWD: `${workspace.root}/plugins`,
    });
    expect(fromSubfolder.stderr).toMatch(
      /^Cannot create plugins\/todo-node: the folder already exists/,
    );
    const otherScript = runBin(args, workspace.root, {
      npm_lifecycle_event: 'test',
      INIT_CWD: '/',
    });
    expect(otherScript.stderr).toMatch(
      /^Cannot create plugins\/todo-node: the folder already exists/,
    );
  });

  it('names the commands it has', () => {
    const workspace = createTestWorkspace();
    expect(runBin(['create'], workspace.root)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "Unknown command 'create': the commands are 'new' (yarn new), 'build' (yarn build), 'build-backend' (yarn build:backend), 'token' (yarn plinth token), 'validate-entities' (yarn plinth validate-entities).\n",
    });
  });

  it('exits with 1 and prints only the message when token has no credential', () => {
    const workspace = createTestWorkspace();
    const result = runBin(['token', 'list'], workspace.root, {
      PLINTH_TOKEN: '',
    });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "No credential to call the backend with: set PLINTH_TOKEN (or pass --token) to a token allowed to manage API tokens, such as a static token from 'backend.auth.externalAccess' or, locally, the development token.\n",
    });
  });

  it('exits with 2, not the 1 of invalid documents, when validate-entities cannot reach the backend', async () => {
    const workspace = createTestWorkspace();
    workspace.write('catalog-info.yaml', 'kind: Component\n');
    const url = `http://127.0.0.1:${await findClosedPort()}`;
    const result = runBin(
      ['validate-entities', 'catalog-info.yaml', '--url', url],
      workspace.root,
      { PLINTH_TOKEN: 'ci-token' },
    );
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `Could not validate entities: no backend answered at '${url}' (ECONNREFUSED). Start it with yarn start, or pass its URL with --url or PLINTH_URL.\n`,
    });
  });
});

/** A port that nothing listens on: one the system just handed out and took back. */
async function findClosedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(done => server.close(done));
  return port;
}
