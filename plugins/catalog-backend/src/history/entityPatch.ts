/*
 * The JSON Patch of an update, bounded: rfc6902 diffs arrays in time and
 * memory quadratic in their length (two 1,000-item arrays shifted by one
 * take most of a minute and a gigabyte, 12,000 overflow the stack), and it
 * runs on the event loop, so a large entity would stall every request.
 * Arrays whose items are all different from each other, as relations,
 * tags and links are, are diffed here instead, in n log n.
 */
import { createPatch, type Operation, type Pointer } from 'rfc6902';

/**
 * Past these, the entry carries `entity` and says the patch was omitted.
 * The array limit holds for every list, for the sake of those rfc6902
 * diffs itself (lists with repeated items): measured, two 200-item
 * relation arrays, reversed, take it about a second; at 50 items about a
 * tenth of that.
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
      : createPatch(parsed.previous, parsed.entity, diffDistinctItems);
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

/**
 * Diffs two arrays whose items are each distinct within their array: the
 * most items the two hold in the same order stay where they are; between
 * them, items are diffed pairwise by position, and the rest removed or
 * added. An item added to a sorted relation list is one `add`. Returns
 * nothing for other values, which rfc6902 then diffs itself.
 */
function diffDistinctItems(
  input: unknown,
  output: unknown,
  ptr: Pointer,
): Operation[] | void {
  if (!Array.isArray(input) || !Array.isArray(output)) {
    return undefined;
  }
  const before: unknown[] = input;
  const after: unknown[] = output;
  const inputKeys = before.map(item => JSON.stringify(item));
  const outputIndex = new Map<string, number>();
  after.forEach((item, j) => outputIndex.set(JSON.stringify(item), j));
  if (
    outputIndex.size !== after.length ||
    new Set(inputKeys).size !== before.length
  ) {
    return undefined;
  }
  const anchors = longestIncreasingChain(
    inputKeys.map(key => outputIndex.get(key) ?? -1),
  );
  anchors.push([before.length, after.length]);
  const ops: Operation[] = [];
  const pathAt = (index: number) => ptr.add(String(index)).toString();
  let length = before.length;
  let at = 0;
  let i = 0;
  let j = 0;
  for (const [anchorIn, anchorOut] of anchors) {
    const removed = before.slice(i, anchorIn);
    const added = after.slice(j, anchorOut);
    const paired = Math.min(removed.length, added.length);
    for (let t = 0; t < paired; t += 1) {
      const base = pathAt(at + t);
      for (const op of createPatch(removed[t], added[t], diffDistinctItems)) {
        ops.push({ ...op, path: base + op.path });
      }
    }
    for (let t = paired; t < removed.length; t += 1) {
      ops.push({ op: 'remove', path: pathAt(at + paired) });
      length -= 1;
    }
    for (let t = paired; t < added.length; t += 1) {
      const index = at + t;
      ops.push({
        op: 'add',
        path: index === length ? ptr.add('-').toString() : pathAt(index),
        value: added[t],
      });
      length += 1;
    }
    at += added.length + 1;
    i = anchorIn + 1;
    j = anchorOut + 1;
  }
  return ops;
}

/**
 * The longest chain of pairs `[i, targets[i]]` increasing in both, among
 * the `i` whose target is not -1 (patience sorting).
 */
function longestIncreasingChain(targets: number[]): Array<[number, number]> {
  const tails: number[] = [];
  const previous = new Array<number>(targets.length).fill(-1);
  targets.forEach((target, i) => {
    if (target < 0) {
      return;
    }
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (targets[tails[middle]] < target) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    previous[i] = low > 0 ? tails[low - 1] : -1;
    tails[low] = i;
  });
  const chain: Array<[number, number]> = [];
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = previous[i]) {
    chain.push([i, targets[i]]);
  }
  return chain.reverse();
}
