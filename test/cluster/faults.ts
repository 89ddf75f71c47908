/**
 * The faults the cluster test applies, each recorded as a window from its
 * start until what it broke is back (a replica ready, or the catalog
 * making progress again on a restarted database).
 */
import { isConsistent, readProgress } from './invariants';
import type { PrivatePostgres } from './privatePostgres';
import type { ProviderState, StateEntity } from './providerState';
import type { Replica } from './replicas';
import type { FaultWindow } from './report';

/** What the faults act on. */
export interface FaultContext {
  pg: PrivatePostgres;
  replicas: Replica[];
  state: ProviderState;
  origin: string;
  token: string;
  windows: FaultWindow[];
  log(message: string): void;
}

const readyTimeoutMs = 90_000;

/** Opens a window, runs `act`, closes it. */
export async function fault(
  context: FaultContext,
  name: string,
  act: () => Promise<void>,
): Promise<FaultWindow> {
  const { served } = await readProgress(context.pg);
  const window: FaultWindow = {
    name,
    start: Date.now(),
    servedAtStart: served,
  };
  context.windows.push(window);
  context.log(`fault: ${name} (${served} entities served)`);
  await act();
  window.end = Date.now();
  context.log(
    `fault over: ${name} after ${((window.end - window.start) / 1000).toFixed(1)} s`,
  );
  return window;
}

/** SIGKILL, then start again and wait until ready. */
export async function killAndRestart(replica: Replica): Promise<void> {
  await replica.stop('SIGKILL');
  replica.start();
  await replica.waitReady(readyTimeoutMs);
}

/** SIGTERM each replica in turn, start it again, wait until it is ready. */
export async function rollingRestart(context: FaultContext): Promise<void> {
  for (const replica of context.replicas) {
    const code = await replica.stop('SIGTERM');
    context.log(`${replica.name} stopped on SIGTERM with code ${code}`);
    if (code !== 0) {
      throw new Error(
        `${replica.name} exited with ${code} on SIGTERM during the rolling restart; a replica must stop cleanly with 0.`,
      );
    }
    replica.start();
    await replica.waitReady(readyTimeoutMs);
  }
}

/** Waits until the stitched count grows by `by` over what it is now. */
export async function waitForProgress(
  context: FaultContext,
  by: number,
  timeoutMs: number,
): Promise<void> {
  const { served: from } = await readProgress(context.pg);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { served } = await readProgress(context.pg);
    if (
      served >= from + by ||
      (served > 0 && served === context.state.entities.length)
    ) {
      return;
    }
    await sleep(250);
  }
  throw new Error(
    `The catalog made no progress (${from} entities served) within ${timeoutMs} ms after a fault.`,
  );
}

/** Waits until at least `count` entities are stitched. */
export async function waitForServed(
  context: FaultContext,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await readProgress(context.pg)).served >= count) {
      return;
    }
    await sleep(250);
  }
  throw new Error(
    `Fewer than ${count} entities were served after ${timeoutMs} ms.`,
  );
}

/**
 * Waits until the catalog is consistent with `expected`, and records the
 * time on every window that is not consistent yet.
 */
export async function waitConsistent(
  context: FaultContext,
  expected: StateEntity[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await isConsistent(context.pg, context.origin, context.token, expected)
    ) {
      const now = Date.now();
      for (const window of context.windows) {
        window.consistentAt ??= now;
      }
      return;
    }
    await sleep(500);
  }
  const progress = await readProgress(context.pg);
  throw new Error(
    `The catalog was not consistent within ${timeoutMs} ms: ${JSON.stringify(progress)} against ${expected.length} expected entities.`,
  );
}

/** Waits until every running replica's provider applied `version`. */
export async function waitApplied(
  context: FaultContext,
  version: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(context.replicas.filter(r => r.running));
  while (Date.now() < deadline && pending.size > 0) {
    for (const replica of [...pending]) {
      try {
        const response = await fetch(
          `${replica.origin}/api/clustertest/provider`,
          {
            headers: { authorization: `Bearer ${context.token}` },
          },
        );
        const body = (await response.json()) as { appliedVersion?: string };
        if (body.appliedVersion === version) pending.delete(replica);
      } catch {
        // Not answering yet; asked again below.
      }
    }
    await sleep(250);
  }
  if (pending.size > 0) {
    throw new Error(
      `Provider state version ${version} was not applied by ${[...pending].map(r => `'${r.name}'`).join(', ')} within ${timeoutMs} ms.`,
    );
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise(done => setTimeout(done, ms));
}
