/*
 * The JSON Patch of an update, bounded: rfc6902 diffs arrays in time and
 * memory quadratic in their length (two 1,000-item arrays shifted by one
 * take most of a minute and a gigabyte, 12,000 overflow the stack), and it
 * runs on the event loop, so a large entity would stall every request.
 */
import { createPatch, type Operation } from 'rfc6902';

/**
 * Past these, the entry carries `entity` and says the patch was omitted.
 * Measured: two 200-item relation arrays, reversed, take about a second;
 * at 50 items about a tenth of that.
 */
export const patchLimits = { maxArrayItems: 50, maxJsonChars: 64 * 1024 };

/** Why an update comes without its patch. */
export type PatchOmitted = 'too-large';

// Feed readers mostly read the same recent rows; each row's patch is
// computed once for all of them (and the publisher), not once per reader.
const cacheSize = 2000;
const cache = new Map<string, Operation[] | PatchOmitted>();

/**
 * The patch from `previousJson` to `entityJson`, or `'too-large'` when
 * either form has an array longer than `patchLimits.maxArrayItems` or
 * their JSON is longer than `patchLimits.maxJsonChars`.
 *
 * @param rowKey - identifies the history row, under which the result is kept
 */
export function entityPatch(
  rowKey: string,
  previousJson: string,
  entityJson: string,
  parsed: { previous: unknown; entity: unknown },
): Operation[] | PatchOmitted {
  const kept = cache.get(rowKey);
  if (kept !== undefined) {
    return kept;
  }
  const patch =
    previousJson.length + entityJson.length > patchLimits.maxJsonChars ||
    hasLongArray(parsed.previous) ||
    hasLongArray(parsed.entity)
      ? 'too-large'
      : createPatch(parsed.previous, parsed.entity);
  if (cache.size >= cacheSize) {
    cache.delete(cache.keys().next().value as string);
  }
  cache.set(rowKey, patch);
  return patch;
}

function hasLongArray(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > patchLimits.maxArrayItems || value.some(hasLongArray);
  }
  if (value !== null && typeof value === 'object') {
    return Object.values(value).some(hasLongArray);
  }
  return false;
}
