import { spawn } from 'node:child_process';
import path from 'node:path';

const repositoryRoot = path.resolve(__dirname, '../../../..');

/**
 * A real process running a backend whose hooks print what they do; the
 * process is kept alive by a timer, like a server would be.
 */
const backendProgram = `
const { createSpecializedBackend, LifecycleHooks } = require('@plinth/backend-app-api');
const { coreServices, createServiceFactory, createBackendPlugin } = require('@plinth/backend-plugin-api');
const backend = createSpecializedBackend({
  defaultServiceFactories: [
    createServiceFactory({ service: coreServices.rootLifecycle, deps: {},
      factory: () => LifecycleHooks.create({ owner: 'the root' }) }),
    createServiceFactory({ service: coreServices.lifecycle, deps: { meta: coreServices.pluginMetadata },
      factory: ({ meta }) => LifecycleHooks.create({ owner: "plugin '" + meta.getId() + "'" }) }),
  ],
});
backend.add(createBackendPlugin({ pluginId: 'demo', register(env) {
  env.registerInit({ deps: { lifecycle: coreServices.lifecycle, root: coreServices.rootLifecycle },
    async init({ lifecycle, root }) {
      root.addBeforeShutdownHook(() => console.log('hook: before-shutdown'));
      lifecycle.addShutdownHook(async () => {
        if (process.env.HANG_SHUTDOWN) await new Promise(() => {});
        await new Promise(resolve => setTimeout(resolve, 50));
        console.log('hook: plugin shutdown');
      });
      root.addShutdownHook(() => {
        console.log('hook: root shutdown');
        if (process.env.FAIL_SHUTDOWN) throw new Error('pool close failed');
      });
    } });
} }));
if (process.env.SLOW_FEATURE) {
  console.log('loading features');
  backend.add(new Promise(resolve => setTimeout(() => resolve({ default: createBackendPlugin({
    pluginId: 'slow', register(env) { env.registerInit({ deps: {}, async init() {} }); } }) }), 300)));
}
if (process.env.NO_START) {
  console.log('created');
} else {
  backend.start().then(() => console.log('started'), e => console.log('start ended: ' + e.message));
}
setInterval(() => {}, 1000);
`;

async function runAndSignal(
  signals: NodeJS.Signals[],
  env: Record<string, string> = {},
  signalAt = 'started\n',
): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-e', backendProgram],
    {
      cwd: repositoryRoot,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', chunk => {
      output += chunk;
      if (output.includes(signalAt)) {
        resolve();
      }
    });
    child.stderr.on('data', chunk => {
      output += chunk;
    });
    child.on('exit', () =>
      reject(new Error(`exited before printing '${signalAt}':\n${output}`)),
    );
  });
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', resolve),
  );
  await started;
  for (const signal of signals) {
    child.kill(signal);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  const code = await exited;
  return { code, lines: output.split('\n').filter(l => l.length > 0) };
}

describe('installSignalHandlers', () => {
  jest.setTimeout(60_000);

  it('runs every shutdown phase on SIGTERM and exits with 0', async () => {
    const { code, lines } = await runAndSignal(['SIGTERM']);
    expect(lines).toEqual([
      "info Initializing plugins: 'demo'.",
      expect.stringMatching(/^info Backend started in \d+ms\.$/),
      'started',
      'info Received SIGTERM; stopping the backend.',
      'hook: before-shutdown',
      'hook: plugin shutdown',
      'hook: root shutdown',
      expect.stringMatching(/^info Backend stopped in \d+ms\.$/),
    ]);
    expect(code).toBe(0);
  });

  it('stops the same way on SIGINT', async () => {
    const { code, lines } = await runAndSignal(['SIGINT']);
    expect(lines.slice(3)).toEqual([
      'info Received SIGINT; stopping the backend.',
      'hook: before-shutdown',
      'hook: plugin shutdown',
      'hook: root shutdown',
      expect.stringMatching(/^info Backend stopped in \d+ms\.$/),
    ]);
    expect(code).toBe(0);
  });

  it('exits with 0 on a signal before start, as nothing has started', async () => {
    const { code, lines } = await runAndSignal(
      ['SIGINT'],
      { NO_START: '1' },
      'created\n',
    );
    expect(lines).toEqual([
      'created',
      'info Received SIGINT; stopping the backend.',
    ]);
    expect(code).toBe(0);
  });

  it('stops a backend whose features are still loading and exits with 0', async () => {
    const { code, lines } = await runAndSignal(
      ['SIGTERM'],
      { SLOW_FEATURE: '1' },
      'loading features\n',
    );
    expect(lines).toEqual([
      'loading features',
      'info Received SIGTERM; stopping the backend.',
      'start ended: The backend was stopped while it was starting.',
      expect.stringMatching(/^info Backend stopped in \d+ms\.$/),
    ]);
    expect(code).toBe(0);
  });

  it('exits with 1 when a shutdown hook fails, after running the others', async () => {
    const { code, lines } = await runAndSignal(['SIGTERM'], {
      FAIL_SHUTDOWN: '1',
    });
    expect(lines.slice(-6)).toEqual([
      'hook: plugin shutdown',
      'hook: root shutdown',
      'error Backend stopped with errors:',
      '  - The shutdown hook #1 (added at [eval]:21:12) of the root failed.',
      '    caused by Error: pool close failed',
      'Every other hook ran; fix the ones above so that resources close cleanly.',
    ]);
    expect(code).toBe(1);
  });

  it('exits at once with 1 on a second signal while shutdown hangs', async () => {
    const { code, lines } = await runAndSignal(['SIGTERM', 'SIGTERM'], {
      HANG_SHUTDOWN: '1',
    });
    expect(lines.slice(-1)).toEqual([
      'warn Received SIGTERM again; exiting without waiting for shutdown to finish.',
    ]);
    expect(code).toBe(1);
  });
});
