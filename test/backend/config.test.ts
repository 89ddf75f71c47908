import { spawnBackend } from './startBackendProcess';

jest.setTimeout(60_000);

const entry = 'test/backend/fixture/fixtureBackend.ts';

async function failedStart(config: Record<string, unknown>) {
  const backend = await spawnBackend({ entry, config });
  const code = await backend.exited;
  return { code, output: backend.output() };
}

describe('a backend process with bad config', () => {
  it.each([
    [
      'a value of the wrong type',
      { fixture: { greeting: 42 } },
      /Invalid config at 'fixture\.greeting' \(.*app-config\.yaml\).*string/,
    ],
    [
      'an unknown key',
      { fixture: { greeting: 'hi' }, backend: { listn: { port: 1 } } },
      /Invalid config at 'backend\.listn' \(.*app-config\.yaml\).*did you mean 'backend\.listen'/,
    ],
    [
      'a missing required value',
      { fixture: {} },
      /'fixture\.greeting'.*plinth-fixture-backend/,
    ],
    [
      'an unset environment variable',
      { fixture: { greeting: '${PLINTH_TEST_UNSET_VARIABLE}' } },
      /'fixture\.greeting' \(.*app-config\.yaml\).*PLINTH_TEST_UNSET_VARIABLE/,
    ],
  ])(
    'stops before listening on %s, naming the key and the file',
    async (_case, config, message) => {
      const { code, output } = await failedStart(config);
      expect(code).toBe(1);
      expect(output).toMatch(message);
      expect(output).not.toMatch(/Listening on/);
      expect(output).not.toMatch(/\n\s+at /);
    },
  );
});
