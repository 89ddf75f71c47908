import { setFlagsFromString } from 'node:v8';
import { ConfigError } from '../../errors';

/** The variable that sets how far V8's heap may grow between collections. */
export const heapGrowthVariable = 'PLINTH_HEAP_GROWTH_PERCENT';

const defaultPercent = 50;
/** V8's own heuristic never lets the heap grow beyond four times. */
const maxPercent = 300;

/**
 * Makes V8 run a full collection once its old generation has grown by a
 * given share over what the last full collection kept: 50% unless
 * `PLINTH_HEAP_GROWTH_PERCENT` says otherwise, where 0 leaves the choice
 * to V8.
 *
 * @remarks
 * V8 picks the growth itself, up to 300% when the heap limit is large,
 * which it is wherever Node sees a lot of memory (outside a container, a
 * quarter of the machine's memory up to 4 GiB). The backend holds little
 * (45–60 MiB after a full collection with 10,000 entities), but serving
 * reads allocates quickly, which makes V8 choose the largest growth, so
 * the process stayed at four to six times what it held: 398 MiB at 10,000
 * entities. Unlike a heap limit (`--max-old-space-size`), the growth bound
 * cannot make the process run out of memory, and it leaves a container's
 * limit, which Node derives the heap limit from, in charge.
 *
 * It is a V8 flag, which V8 reads each time it sizes the heap after a
 * collection, so setting it after the process started takes effect; it
 * cannot be passed in `NODE_OPTIONS`, which refuses most V8 flags.
 *
 * @throws {@link ConfigError} with code `CONFIG_HEAP_GROWTH_INVALID` when
 *   the variable is not a whole number from 0 to 300.
 */
export function limitHeapGrowth(
  env: Record<string, string | undefined> = process.env,
  setFlags: (flags: string) => void = setFlagsFromString,
): void {
  const given = env[heapGrowthVariable]?.trim();
  if (given && !(/^\d{1,3}$/.test(given) && Number(given) <= maxPercent)) {
    throw invalidGrowth(given);
  }
  // 0 is V8's own value for the flag: its heuristic decides.
  setFlags(`--heap-growing-percent=${given ? Number(given) : defaultPercent}`);
}

function invalidGrowth(value: string): ConfigError {
  return new ConfigError(
    'CONFIG_HEAP_GROWTH_INVALID',
    `Invalid heap growth '${value}' in the ${heapGrowthVariable} environment variable: use a whole number of percent from 0 to ${maxPercent} (0 lets V8 choose, up to ${maxPercent}), or unset it for ${defaultPercent}.`,
    { source: heapGrowthVariable },
  );
}
