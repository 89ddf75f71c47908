/**
 * What runs after a test file's last test, stage by stage: the backends
 * stop while their databases are still open, and only then do the
 * databases close. Jest runs a file's top-level `afterAll` hooks in the
 * order they were registered, which for hooks registered as modules load
 * is their load order, and `TestDatabases` loads before
 * `startTestBackend`, whose mock services use it. With a hook each, the
 * databases closed first: a plugin's shutdown hook found its client
 * destroyed, and a query waiting for PGlite's one connection at that
 * moment waited out its whole acquire timeout, past the backend's
 * shutdown deadline.
 */
const stages = [
  { stage: 'stop backends', timeoutMs: undefined },
  // Each DROP DATABASE waits for a checkpoint, which takes seconds on a
  // busy server; the hook must not fail a file whose tests all passed.
  { stage: 'close databases', timeoutMs: 60_000 },
] as const;

type Stage = (typeof stages)[number]['stage'];

const work = new Map<Stage, Array<() => Promise<void>>>();

/** Runs `run` after the test file's last test, in its stage's turn. */
export function afterTestFile(stage: Stage, run: () => Promise<void>): void {
  work.set(stage, [...(work.get(stage) ?? []), run]);
}

// Registered only under a test runner that has a global afterAll, such as Jest.
const registerAfterAll = (
  globalThis as {
    afterAll?: (fn: () => Promise<void>, timeoutMs?: number) => void;
  }
).afterAll;
if (typeof registerAfterAll === 'function') {
  for (const { stage, timeoutMs } of stages) {
    registerAfterAll(async () => {
      await Promise.all((work.get(stage) ?? []).map(run => run()));
    }, timeoutMs);
  }
}
