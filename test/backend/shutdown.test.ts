import { spawnBackend, waitUntilReady } from './startBackendProcess';

jest.setTimeout(60_000);

const entry = 'test/backend/fixture/fixtureBackend.ts';

describe('a backend process', () => {
  it('finishes a request in flight on SIGTERM, reports not ready, runs hooks and exits 0', async () => {
    const backend = await spawnBackend({
      entry,
      config: {
        fixture: { greeting: 'hi' },
        backend: { lifecycle: { serverShutdownDelay: 1500 } },
      },
    });
    await waitUntilReady(backend);

    const inFlight = fetch(backend.url('/api/fixture/slow?ms=2500'));
    await backend.waitForOutput('slow request received');
    backend.child.kill('SIGTERM');
    await backend.waitForOutput('Received SIGTERM');

    const readiness = await fetch(
      backend.url('/.backstage/health/v1/readiness'),
    );
    expect(readiness.status).toBe(503);
    await expect(readiness.json()).resolves.toEqual({
      status: 'error',
      message: "backend is 'stopping'",
    });

    const response = await inFlight;
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ done: true });
    await expect(backend.exited).resolves.toBe(0);
    expect(backend.output()).toContain('fixture shutdown hook ran');
  });

  it('starts the assembled backend of yarn start and exits 0 on SIGINT', async () => {
    const backend = await spawnBackend({
      entry: 'packages/backend/src/index.ts',
      config: {},
      extraArgs: ['--config', 'app-config.yaml'],
      env: {
        APP_CONFIG_backend_database_connection: '":memory:"',
      },
    });
    await waitUntilReady(backend);
    backend.child.kill('SIGINT');
    await expect(backend.exited).resolves.toBe(0);
  });
});
