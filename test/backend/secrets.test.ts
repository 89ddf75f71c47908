import { spawnBackend, waitUntilReady } from './startBackendProcess';

jest.setTimeout(60_000);

const entry = 'test/backend/fixture/fixtureBackend.ts';
const canary = 'canary-5d1e0b7c9a';

describe('a backend process given a secret', () => {
  it.each([
    ['from $env', { $env: 'PLINTH_TEST_CANARY' }],
    ['at a key the schema marks secret', canary],
  ])(
    'never shows a secret %s in logs or error bodies',
    async (_case, value) => {
      const backend = await spawnBackend({
        entry,
        config: { fixture: { greeting: 'hi', canary: value } },
        env: { PLINTH_TEST_CANARY: canary, NODE_ENV: 'development' },
      });
      await waitUntilReady(backend);

      const response = await fetch(backend.url('/api/fixture/leak'));
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).toContain('the canary is ***');

      backend.child.kill('SIGTERM');
      await expect(backend.exited).resolves.toBe(0);
      const output = backend.output();
      expect(output).toContain('fixture configured with canary ***');
      expect(output).toContain('about to fail with ***');
      expect(`${output}\n${body}`).not.toContain(canary);
    },
  );
});
