/**
 * Imported by `index.ts` before anything else. Loading the backend's
 * modules takes about a second, and until `createBackend()` installs the
 * backend's own handlers, SIGINT or SIGTERM would end the process the way
 * Node does by default: killed by the signal, which a shell reports as 130
 * or 143. Nothing is open yet, so the process ends with 0, as after a clean
 * stop.
 */
const exitCleanly = () => process.exit(0);
process.once('SIGINT', exitCleanly);
process.once('SIGTERM', exitCleanly);

/**
 * Leaves SIGINT and SIGTERM to the backend, whose handlers `createBackend()`
 * has installed. Node delivers a signal that came while the modules loaded
 * only after this, so it reaches the backend's handlers.
 */
export function handOverSignals(): void {
  process.off('SIGINT', exitCleanly);
  process.off('SIGTERM', exitCleanly);
}
