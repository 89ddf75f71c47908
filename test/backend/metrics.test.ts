import { spawnBackend, waitUntilReady } from './startBackendProcess';

jest.setTimeout(60_000);

const entry = 'test/backend/fixture/fixtureBackend.ts';

describe('a backend process made by createBackend()', () => {
  it('serves its Prometheus metrics at /metrics to a scraper with the token, and stops cleanly', async () => {
    const backend = await spawnBackend({
      entry,
      config: {
        fixture: { greeting: 'hi' },
        backend: { metrics: { token: 'scrape-secret' } },
      },
    });
    await waitUntilReady(backend);
    expect((await fetch(backend.url('/api/fixture/slow?ms=1'))).status).toBe(
      200,
    );

    const refused = await fetch(backend.url('/metrics'));
    expect(refused.status).toBe(401);
    const scrape = await fetch(backend.url('/metrics'), {
      headers: { Authorization: 'Bearer scrape-secret' },
    });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toContain(
      'http_server_request_duration_count{plugin="fixture",route="/api/fixture/slow",method="GET",status="200",otel_scope_name="plinth-backend"} 1',
    );
    expect(text).toMatch(
      /^backend_plugin_init_duration\{plugin="fixture",otel_scope_name="plinth-backend"\} [\d.e-]+$/m,
    );

    backend.child.kill('SIGTERM');
    await expect(backend.exited).resolves.toBe(0);
    expect(backend.output()).not.toContain('scrape-secret');
  });
});
