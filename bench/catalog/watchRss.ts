/**
 * Samples a benchmark backend's resident memory through a run, so that
 * the benchmark can tell a backend whose memory levels off from one whose
 * memory grows with the work done: the peak alone cannot.
 */
import { loadavg } from 'node:os';
import type { CatalogBackendProcess } from './startCatalogBackend';

/** Resident memory at one moment, ms after the backend was spawned. */
export interface RssSample {
  atMs: number;
  mib: number;
  /** The machine's 1-minute load average then, as `uptime` gives it. */
  load: number;
}

/** A running {@link watchRss}. */
export interface RssWatch {
  /** Takes a sample now, besides the periodic ones, and returns it. */
  sampleNow(): RssSample;
  /** The sample taken closest to `atMs`. */
  sampleNear(atMs: number): RssSample;
  /** The largest sample taken from `fromMs` until `toMs`. */
  highestBetween(fromMs: number, toMs: number): RssSample;
  stop(): void;
}

/**
 * Samples `backend`'s resident memory every `intervalMs` until stopped.
 * @throws Error from the accessors when no sample was taken yet.
 */
export function watchRss(
  backend: CatalogBackendProcess,
  intervalMs = 500,
): RssWatch {
  const samples: RssSample[] = [];
  const sampleNow = () => {
    const sample = {
      atMs: performance.now() - backend.spawnedAt,
      mib: backend.readRssMiB(),
      load: loadavg()[0],
    };
    // A gone process reads 0, which is no measurement.
    if (sample.mib > 0) {
      samples.push(sample);
    }
    return sample;
  };
  const timer = setInterval(sampleNow, intervalMs);
  timer.unref();
  const pick = (
    candidates: RssSample[],
    better: (a: RssSample, b: RssSample) => boolean,
  ) => {
    if (candidates.length === 0) {
      throw new Error(
        'No memory sample of the catalog backend was taken in the period asked for.',
      );
    }
    return candidates.reduce((best, sample) =>
      better(sample, best) ? sample : best,
    );
  };
  return {
    sampleNow,
    sampleNear: atMs =>
      pick(
        samples,
        (a, b) => Math.abs(a.atMs - atMs) < Math.abs(b.atMs - atMs),
      ),
    highestBetween: (fromMs, toMs) =>
      pick(
        samples.filter(s => s.atMs >= fromMs && s.atMs <= toMs),
        (a, b) => a.mib > b.mib,
      ),
    stop: () => clearInterval(timer),
  };
}
