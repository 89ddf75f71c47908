import { PassThrough } from 'node:stream';
import path from 'node:path';
import { createTestWorkspace } from '../new/TestWorkspace.fixture';
import {
  runBuildBackendCommand,
  runBuildCommand,
  type RunBuildCommandOptions,
} from './runBuildCommand';

// Two tests run tsc, which takes seconds on a busy machine.
jest.setTimeout(60_000);

/** Runs a command, resolving with what it printed or rejecting with its error. */
async function run(
  command: (options: RunBuildCommandOptions) => Promise<void>,
  argv: string[],
  cwd: string,
): Promise<string> {
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  await command({ argv, cwd, stdout });
  return printed;
}

/** A workspace with one package that `yarn build` can compile. */
function createCompilableWorkspace(source: string) {
  const workspace = createTestWorkspace();
  workspace.write(
    'tsconfig.build.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        strict: true,
        composite: true,
        types: [],
        rootDir: '${configDir}/src',
        outDir: '${configDir}/dist',
      },
      include: ['${configDir}/src'],
    }),
  );
  workspace.write('packages/errors/package.json', '{"name":"@plinth/errors"}');
  workspace.write(
    'packages/errors/tsconfig.build.json',
    '{"extends":"../../tsconfig.build.json"}',
  );
  workspace.write('packages/errors/src/index.ts', source);
  return workspace;
}

describe('runBuildCommand', () => {
  it('compiles the named packages to dist/', async () => {
    const workspace = createCompilableWorkspace(
      'export const answer: number = 42;\n',
    );
    const printed = await run(
      runBuildCommand,
      ['packages/errors'],
      workspace.root,
    );
    expect(printed).toMatch(/^Compiled 1 package to dist\/ in \d+\.\d s\.\n$/);
    expect(workspace.read('packages/errors/dist/index.js')).toContain(
      'exports.answer = 42;',
    );
    expect(workspace.exists('packages/errors/dist/index.d.ts')).toBe(true);
  });

  it("fails after tsc's errors when the sources do not type-check", async () => {
    const workspace = createCompilableWorkspace(
      "export const answer: number = 'forty-two';\n",
    );
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await expect(
      runBuildCommand({
        argv: ['packages/errors'],
        cwd: workspace.root,
        stdout,
      }),
    ).rejects.toMatchObject({
      code: 'BUILD_COMPILE_FAILED',
      message:
        "Compiling failed: 'tsc -b' exited with code 1 after the errors above. Fix them (yarn tsc shows them too), then build again.",
    });
    expect(printed).toContain(
      "Type 'string' is not assignable to type 'number'",
    );
  });

  it('refuses a package without tsconfig.build.json', async () => {
    const workspace = createTestWorkspace();
    await expect(
      run(runBuildCommand, [], workspace.root),
    ).rejects.toMatchObject({
      code: 'BUILD_NO_BUILD_CONFIG',
      message:
        "Cannot compile 'packages/backend': it has no tsconfig.build.json. Add one that extends '../../tsconfig.build.json' and references the tsconfig.build.json of each workspace package in its dependencies, as plugins/catalog-node/tsconfig.build.json does.",
    });
  });

  it('refuses an unknown flag with the usage', async () => {
    const workspace = createTestWorkspace();
    await expect(
      run(runBuildCommand, ['--watch'], workspace.root),
    ).rejects.toMatchObject({
      code: 'BUILD_INVALID_ARGUMENTS',
      message:
        "Unknown option '--watch'; the usage is: yarn build [<package folder>...].",
    });
  });
});

describe('runBuildBackendCommand', () => {
  it('refuses an argument besides --output', async () => {
    const workspace = createTestWorkspace();
    await expect(
      run(runBuildBackendCommand, ['build/backend'], workspace.root),
    ).rejects.toMatchObject({
      code: 'BUILD_INVALID_ARGUMENTS',
      message:
        "Unexpected argument 'build/backend'; the usage is: yarn build:backend [--output <folder>].",
    });
  });

  it('refuses to replace the repository', async () => {
    const workspace = createTestWorkspace();
    await expect(
      run(runBuildBackendCommand, ['--output', '.'], workspace.root),
    ).rejects.toMatchObject({
      code: 'BUILD_INVALID_ARGUMENTS',
      message: `Cannot write the backend folder to '${workspace.root}': it holds the repository, and yarn build:backend replaces the whole folder. Choose a new or empty folder with --output.`,
    });
  });

  it('refuses to replace a folder that is not an earlier build', async () => {
    const workspace = createTestWorkspace();
    workspace.write('notes/todo.txt', 'mine');
    await expect(
      run(runBuildBackendCommand, ['--output', 'notes'], workspace.root),
    ).rejects.toMatchObject({
      code: 'BUILD_INVALID_ARGUMENTS',
      message: `Cannot write the backend folder to '${path.join(workspace.root, 'notes')}': it exists and is not an earlier build (it has no packages/backend/dist), and yarn build:backend replaces the whole folder. Choose a new or empty folder with --output.`,
    });
    expect(workspace.read('notes/todo.txt')).toBe('mine');
  });
});
