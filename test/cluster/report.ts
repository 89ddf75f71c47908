/**
 * The figures of a cluster test run, printed whether it passed or not:
 * errors and latency of the read load per fault window, deadlocks, and
 * how long the catalog took to be consistent again after each fault.
 */
import { readFileSync } from 'node:fs';
import type { Sample } from './readLoad';

/** One fault, from its start until its action finished (the replica or server is back). */
export interface FaultWindow {
  name: string;
  start: number;
  end?: number;
  /** When the catalog was consistent again: expected entities served, queues empty. */
  consistentAt?: number;
  /** The ingest progress (stitched entities) when the fault started. */
  servedAtStart?: number;
}

/** Everything the report prints. */
export interface ClusterFigures {
  samples: Sample[];
  windows: FaultWindow[];
  deadlockLines: string[];
  replicaLogs: string[];
  taskRuns: number;
  unfinishedTaskRuns: number;
  /** Runs recorded with the scheduler's fencing token. */
  fencedTaskRuns: number;
  breaches: string[];
  startedAt: number;
}

/** Prints the figures as a table a CI log keeps readable. */
export function printReport(figures: ClusterFigures): void {
  const { samples, windows } = figures;
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const failed = (s: Sample) => s.status >= 500 || s.status === 0;
  const serverErrors = sorted.filter(s => s.status >= 500).length;
  const connectionErrors = sorted.filter(s => s.status === 0).length;
  let longest = { count: 0, ms: 0, from: 0 };
  let run: Sample[] = [];
  for (const sample of [...sorted, undefined]) {
    if (sample && failed(sample)) {
      run.push(sample);
      continue;
    }
    if (run.length > longest.count) {
      longest = {
        count: run.length,
        ms: run[run.length - 1].at + run[run.length - 1].ms - run[0].at,
        from: run[0].at,
      };
    }
    run = [];
  }
  const clock = (at: number) =>
    `+${((at - figures.startedAt) / 1000).toFixed(1)}s`;
  const lines: string[] = [];
  lines.push('', '===== cluster test figures');
  lines.push(
    `read load: ${sorted.length} requests through HAProxy, ${serverErrors} 5xx, ${connectionErrors} without a response, ${sorted.filter(s => s.status === 404).length} 404`,
  );
  lines.push(
    `longest window of consecutive failed reads (5xx or no response): ${longest.count} requests over ${longest.ms.toFixed(0)} ms${longest.count ? ` from ${clock(longest.from)}` : ''}`,
  );
  lines.push(
    `overall p99 ${percentile(
      sorted.map(s => s.ms),
      0.99,
    ).toFixed(0)} ms, p50 ${percentile(
      sorted.map(s => s.ms),
      0.5,
    ).toFixed(0)} ms`,
  );
  lines.push(
    '',
    'fault window                      start    length   reads  failed  p99 ms  back to consistent',
  );
  for (const window of windows) {
    const end = window.end ?? Date.now();
    const inside = sorted.filter(s => s.at >= window.start && s.at <= end);
    lines.push(
      [
        window.name.padEnd(32),
        clock(window.start).padStart(7),
        `${((end - window.start) / 1000).toFixed(1)}s`.padStart(8),
        String(inside.length).padStart(7),
        describeFailures(inside.filter(failed)).padStart(4),
        percentile(
          inside.map(s => s.ms),
          0.99,
        )
          .toFixed(0)
          .padStart(7),
        (window.consistentAt
          ? `${((window.consistentAt - window.start) / 1000).toFixed(1)}s`
          : 'never'
        ).padStart(19),
        window.servedAtStart === undefined
          ? ''
          : `  (at ${window.servedAtStart} served)`,
      ].join(' '),
    );
  }
  const surfaced = figures.replicaLogs.flatMap(file =>
    readLines(file).filter(l => /deadlock detected/i.test(l)),
  );
  lines.push(
    '',
    `deadlocks (SQLSTATE 40P01 in PostgreSQL's log): ${figures.deadlockLines.length}; surfaced as errors in replica logs (not absorbed by runTransaction's retry): ${surfaced.length}`,
  );
  for (const line of figures.deadlockLines.slice(0, 5))
    lines.push(`  ${line.slice(0, 400)}`);
  for (const line of surfaced.slice(0, 5))
    lines.push(`  replica: ${line.slice(0, 200)}`);
  lines.push(
    `global task: ${figures.taskRuns} runs recorded, ${figures.unfinishedTaskRuns} without an end (replica killed or database gone mid-run), ${figures.fencedTaskRuns} with a fencing token`,
  );
  lines.push(
    '',
    figures.breaches.length
      ? `INVARIANT BREACHES (${figures.breaches.length}):`
      : 'all invariants hold',
  );
  for (const breach of figures.breaches) lines.push(`  - ${breach}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** `0`, or the failures by status, such as `31 (500x29 0x2)`; 0 is no response. */
function describeFailures(failures: Sample[]): string {
  if (failures.length === 0) {
    return '0';
  }
  const byStatus = new Map<number, number>();
  for (const { status } of failures) {
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }
  return `${failures.length} (${[...byStatus].map(([status, n]) => `${status}x${n}`).join(' ')})`;
}
