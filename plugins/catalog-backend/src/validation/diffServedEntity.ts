import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_ORPHAN,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  type Entity,
} from '@plinth/catalog-model';
import { createPatch, type Operation } from 'rfc6902';

/**
 * Annotations the catalog derives from where an entity was read; without
 * a location, a batch says nothing about them.
 */
const locationAnnotations = [
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_VIEW_URL,
  ANNOTATION_EDIT_URL,
  ANNOTATION_SOURCE_LOCATION,
];

/**
 * The RFC 6902 operations that turn the served entity into what the
 * catalog would make of a document, leaving out what the server owns.
 *
 * @remarks
 * Left out on both sides: `metadata.uid`, `metadata.etag`, `status` (the
 * processing errors the stitcher adds) and the orphan annotation, which
 * the server sets; and `relations`, which the served entity gathers from
 * every entity that emits one about it, so a diff of one document's own
 * relations would show removals that are not real (broken relation
 * targets are reported as warnings instead).
 *
 * With `keepServedLocation`, for a batch without a location, the
 * location annotations keep their served values unless the document sets
 * them itself.
 *
 * The values that resolving the document's placeholders brought in are
 * never shown: where a placeholder's content differs from the served
 * value, the diff shows the placeholder as sent (`{ "$text": "./x.md" }`)
 * as the new value, as the caller may not be allowed to read its target.
 * Any other string of a new value that the caller did not send, that the
 * served entity does not hold and that is not part of either or of the
 * location (such as an owner a processor read from a CODEOWNERS file) is
 * shown as `***`, for the same reason.
 *
 * @internal
 */
export function diffServedEntity(options: {
  sent: Entity;
  processed: Entity;
  served: Entity;
  keepServedLocation: boolean;
  /** The location ref the document was processed with. */
  locationRef: string;
}): Operation[] {
  const before = withoutServerFields(options.served);
  const after = withoutServerFields(options.processed);
  if (options.keepServedLocation) {
    keepLocationAnnotations(options.sent, before, after);
  }
  for (const { path, placeholder } of findPlaceholders(options.sent)) {
    const resolved = readPath(after, path);
    if (JSON.stringify(resolved) !== JSON.stringify(readPath(before, path))) {
      writePath(after, path, placeholder);
    }
  }
  const mask = createIntroducedStringMask([
    options.sent,
    options.served,
    options.locationRef,
  ]);
  return createPatch(before, after).map(operation =>
    'value' in operation
      ? { ...operation, value: mask(operation.value) }
      : operation,
  );
}

/** Strings shorter than this are too common to hide, as in error messages. */
const minHiddenLength = 8;

/**
 * Replaces, in a value, every string that none of `sources` holds or
 * contains with `***`.
 */
function createIntroducedStringMask(
  sources: unknown[],
): (value: unknown) => unknown {
  const known = collectStrings(sources);
  const knownSet = new Set(known);
  const isKnown = (text: string) =>
    text.length < minHiddenLength ||
    knownSet.has(text) ||
    known.some(other => other.includes(text));
  const mask = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return isKnown(value) ? value : '***';
    }
    if (Array.isArray(value)) {
      return value.map(mask);
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, mask(item)]),
      );
    }
    return value;
  };
  return mask;
}

/** Every string value in JSON values, keys left out. */
function collectStrings(values: unknown[]): string[] {
  const strings: string[] = [];
  const pending = [...values];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      strings.push(next);
    } else if (Array.isArray(next)) {
      pending.push(...(next as unknown[]));
    } else if (typeof next === 'object' && next !== null) {
      pending.push(...(Object.values(next) as unknown[]));
    }
  }
  return strings;
}

function withoutServerFields(entity: Entity): Entity {
  const copy = structuredClone(entity);
  delete copy.metadata.uid;
  delete copy.metadata.etag;
  delete copy.relations;
  delete copy.status;
  if (copy.metadata.annotations) {
    delete copy.metadata.annotations[ANNOTATION_ORPHAN];
    if (Object.keys(copy.metadata.annotations).length === 0) {
      delete copy.metadata.annotations;
    }
  }
  return copy;
}

function keepLocationAnnotations(
  sent: Entity,
  before: Entity,
  after: Entity,
): void {
  const sentAnnotations: unknown = sent.metadata?.annotations;
  const own = (key: string) =>
    typeof sentAnnotations === 'object' &&
    sentAnnotations !== null &&
    key in sentAnnotations;
  const served = before.metadata.annotations ?? {};
  const metadata = after.metadata;
  const annotations = { ...metadata.annotations };
  for (const key of locationAnnotations) {
    if (own(key)) {
      continue;
    }
    if (key in served) {
      annotations[key] = served[key];
    } else {
      delete annotations[key];
    }
  }
  metadata.annotations = annotations;
  if (Object.keys(annotations).length === 0) {
    delete metadata.annotations;
  }
}

/** A path in an entity, as the keys and indexes that lead to a value. */
type Path = Array<string | number>;

/**
 * The placeholders of a sent document (objects whose only key starts
 * with `$`, such as `{ $text: ./README.md }`), outermost first. Keys that
 * no resolver knows are included too: hiding too much is harmless, and
 * a placeholder left unresolved compares equal and so is never replaced.
 */
function findPlaceholders(
  sent: unknown,
): Array<{ path: Path; placeholder: unknown }> {
  const found: Array<{ path: Path; placeholder: unknown }> = [];
  const pending: Array<{ value: unknown; path: Path }> = [
    { value: sent, path: [] },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        pending.push({ value: item, path: [...path, i] }),
      );
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0].startsWith('$')) {
        found.push({ path, placeholder: value });
        continue;
      }
      for (const key of keys) {
        pending.push({
          value: (value as Record<string, unknown>)[key],
          path: [...path, key],
        });
      }
    }
  }
  return found;
}

function readPath(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) {
      return undefined;
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function writePath(root: unknown, path: Path, value: unknown): void {
  const parent = readPath(root, path.slice(0, -1));
  if (typeof parent === 'object' && parent !== null && path.length > 0) {
    (parent as Record<string | number, unknown>)[path[path.length - 1]] = value;
  }
}
