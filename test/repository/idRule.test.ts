import { isValidId } from '@plinth/backend-plugin-api';
import { isValidEngineId } from '@plinth/cli';

/**
 * yarn new may not depend on the engine's runtime packages, so it has its
 * own copy of the id rule; this proves the copy accepts exactly what the
 * engine accepts for plugin and module ids.
 */
const samples = [
  'a',
  'todo',
  'my-plugin',
  'MyPlugin',
  'a1-b2',
  'x-2',
  '',
  '1st',
  '-a',
  'a-',
  'a--b',
  'a_b',
  'a.b',
  'a b',
  'é',
  'a/b',
];

function randomId(seed: number): string {
  const alphabet = 'aZ09-_.';
  let id = '';
  for (let n = seed; n > 0; n = Math.floor(n / alphabet.length)) {
    id += alphabet[n % alphabet.length];
  }
  return id;
}

describe('the id rule of yarn new', () => {
  it.each(['plugin id', 'module id'] as const)(
    'agrees with the engine on every %s',
    kind => {
      const ids = [
        ...samples,
        ...Array.from({ length: 5000 }, (_, i) => randomId(i)),
      ];
      const disagreements = ids.filter(
        id => isValidEngineId(id) !== isValidId(kind, id),
      );
      expect(disagreements).toEqual([]);
    },
  );
});
