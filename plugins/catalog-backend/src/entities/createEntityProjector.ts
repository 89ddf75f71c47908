import type { EntityJson } from './EntitiesCatalog';

type JsonRecord = Record<string, unknown>;

/**
 * Makes a function that keeps only the given dotted paths of an entity's
 * JSON, each with its whole subtree, and drops the rest, as `fields=` asks.
 *
 * @remarks
 * Keys may hold dots themselves, as annotation keys do
 * (`metadata.annotations.backstage.io/orphan`): at each level the shortest
 * run of path parts that is a key of the object and lets the rest of the
 * path resolve is taken. Paths do not descend into arrays. A path the
 * entity lacks adds nothing.
 *
 * @internal
 */
export function createEntityProjector(
  fields: string[],
): (entity: EntityJson) => EntityJson {
  const paths = fields.map(field => field.split('.'));
  return entity => {
    const source = JSON.parse(entity) as JsonRecord;
    // Without a prototype, a key such as `__proto__` is a plain key of the
    // copy: assigning it cannot reach Object.prototype.
    const output: JsonRecord = Object.create(null) as JsonRecord;
    for (const parts of paths) {
      copyPath(source, output, parts);
    }
    return JSON.stringify(output);
  };
}

function copyPath(source: JsonRecord, output: JsonRecord, parts: string[]) {
  const keys = resolveKeys(source, parts, 0);
  if (!keys) {
    return;
  }
  let node: unknown = source;
  let target = output;
  keys.forEach((key, index) => {
    node = (node as JsonRecord)[key];
    if (index === keys.length - 1) {
      target[key] = node;
      return;
    }
    const next = target[key];
    if (isRecord(next)) {
      target = next;
    } else {
      const created = Object.create(null) as JsonRecord;
      target[key] = created;
      target = created;
    }
  });
}

/**
 * The object keys that spell `parts` from `start` down from `node`,
 * trying the shortest run of parts as the first key and longer ones when
 * the rest of the path does not resolve below it.
 */
function resolveKeys(
  node: unknown,
  parts: string[],
  start: number,
): string[] | undefined {
  if (!isRecord(node)) {
    return undefined;
  }
  let key = parts[start];
  for (let end = start + 1; end <= parts.length; end += 1) {
    if (Object.hasOwn(node, key)) {
      if (end === parts.length) {
        return [key];
      }
      const rest = resolveKeys(node[key], parts, end);
      if (rest) {
        return [key, ...rest];
      }
    }
    key = `${key}.${parts[end]}`;
  }
  return undefined;
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
