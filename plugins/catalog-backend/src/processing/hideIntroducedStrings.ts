import type { Entity } from '@plinth/catalog-model';

/** Strings shorter than this are too common to hide from messages. */
const minHiddenLength = 8;

/**
 * Masks, in the messages of `errors` and their causes, every string that
 * pre-processing brought into the entity (the content of its resolved
 * placeholders, whole and line by line). An entity that a caller sends to
 * be validated may name, in a placeholder, content that the caller could
 * not read otherwise; whatever a processor quotes of it must not go back.
 * The errors were made by this run, so they are changed in place.
 *
 * @remarks
 * Only strings that occur in a message are weighed, so the cost follows
 * the size of the entity and of the messages, not their product with the
 * number of strings the caller sent.
 */
export function hideIntroducedStrings(
  errors: readonly Error[],
  before: Entity,
  after: Entity,
): void {
  const chain: Error[] = [];
  for (const error of errors) {
    for (
      let current: unknown = error;
      current instanceof Error && !chain.includes(current);
      current = current.cause
    ) {
      chain.push(current);
    }
  }
  if (chain.length === 0) {
    return;
  }
  const messages = chain.map(error => error.message).join('\n');
  const knownStrings = collectStrings(before);
  const known = new Set(knownStrings);
  const hidden = new Set<string>();
  for (const text of collectStrings(after)) {
    if (known.has(text)) {
      continue;
    }
    for (const part of [text, ...text.split('\n')].map(p => p.trim())) {
      // Annotations derived from the entity's location, such as its view
      // URL, hold parts of strings the caller gave; only new content is
      // hidden.
      if (
        part.length >= minHiddenLength &&
        messages.includes(part) &&
        !knownStrings.some(other => other.includes(part))
      ) {
        hidden.add(part);
      }
    }
  }
  const longestFirst = [...hidden].sort((a, b) => b.length - a.length);
  for (const error of chain) {
    for (const text of longestFirst) {
      error.message = error.message.split(text).join('***');
    }
  }
}

/** Every string in a JSON value, keys included. */
function collectStrings(value: unknown): string[] {
  const strings: string[] = [];
  const pending: unknown[] = [value];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next === 'string') {
      strings.push(next);
    } else if (Array.isArray(next)) {
      pending.push(...(next as unknown[]));
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, item] of Object.entries(next)) {
        strings.push(key);
        pending.push(item);
      }
    }
  }
  return strings;
}
