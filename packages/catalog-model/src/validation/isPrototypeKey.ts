const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Whether `key` names an object's prototype (`__proto__`, `constructor`,
 * `prototype`). Parsers keep such keys as own keys, but code that copies
 * an entity key by key (a `fields=` projection, a merge) would set the
 * prototype of its copy, or of every object, through them; so no entity
 * may hold one, and no field path may name one.
 *
 * @public
 */
export function isPrototypeKey(key: string): boolean {
  return prototypeKeys.has(key);
}
