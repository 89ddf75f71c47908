import type { JsonObject, JsonValue } from '@plinth/backend-plugin-api';
import type { PackageConfigSchema } from './collectConfigSchemas';
import type { ConfigSource } from './ConfigReader';
import { quoteList, suggestClosestName } from '@plinth/errors';
import { ConfigError } from '../errors';
import {
  findConfigSource,
  formatConfigPath,
  type ConfigPath,
} from './configPath';

/** A schema node and the root schema its local `$ref`s point into. */
interface SchemaNode {
  schema: JsonObject;
  root: JsonObject;
}

/** The children that a set of schema nodes declare for one key. */
interface Declaration {
  declared: boolean;
  children: SchemaNode[];
}

/** A top-level key that no schema declares, and the layer it comes from. */
export interface UndeclaredConfigKey {
  key: string;
  context: string;
}

const combinatorKeys = ['allOf', 'anyOf', 'oneOf', 'then', 'else', '$ref'];
const open: JsonObject = {};

/**
 * Finds object keys that no schema declares at their path, below a
 * top-level key that some schema declares. A key is declared when any
 * schema names it in `properties`, matches it with `patternProperties`, or
 * allows it with `additionalProperties` (an object schema with neither
 * `properties` nor `patternProperties` allows any key). Each unknown key
 * suggests the closest declared name.
 *
 * @remarks
 * The top level stays open for plugins without a schema, except for a key
 * close to a declared top-level key, such as `catlog` for `catalog`: that
 * one is unknown too, as a misspelt key would otherwise leave its plugin
 * silently unconfigured. The other undeclared top-level keys are returned
 * as `undeclared`, for a warning.
 */
export function findUnknownConfigKeys(
  data: JsonObject,
  schemas: readonly PackageConfigSchema[],
  sources: readonly ConfigSource[],
): { problems: ConfigError[]; undeclared: UndeclaredConfigKey[] } {
  const problems: ConfigError[] = [];
  const undeclared: UndeclaredConfigKey[] = [];
  const roots = schemas.flatMap(({ schema }) =>
    expand({ schema, root: schema }, 'object'),
  );
  const visit = (value: JsonValue, nodes: SchemaNode[], path: ConfigPath) => {
    if (Array.isArray(value)) {
      const applicable = expandAll(nodes, 'array');
      value.forEach((item, index) =>
        visit(item, itemSchemas(applicable, index), [...path, index]),
      );
      return;
    }
    if (value === null || typeof value !== 'object') {
      return;
    }
    const applicable = expandAll(nodes, 'object');
    if (applicable.length === 0 || applicable.some(n => n.schema === open)) {
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const { declared, children } = declare(applicable, key, true);
      if (!declared) {
        problems.push(unknownKey(applicable, [...path, key], sources).error);
      } else if (child !== undefined) {
        visit(child, children, [...path, key]);
      }
    }
  };
  for (const [key, child] of Object.entries(data)) {
    if (child === undefined) {
      continue;
    }
    const { declared, children } = declare(roots, key, false);
    if (!declared) {
      const { error, suggested } = unknownKey(roots, [key], sources);
      if (!suggested) {
        undeclared.push({ key, context: error.source ?? 'config' });
      } else {
        problems.push(error);
      }
    } else if (children.length > 0) {
      visit(child, children, [key]);
    }
  }
  return { problems, undeclared };
}

function declare(
  nodes: readonly SchemaNode[],
  key: string,
  allowOpen: boolean,
): Declaration {
  let declared = false;
  const children: SchemaNode[] = [];
  const add = (schema: JsonValue | undefined, root: JsonObject) => {
    declared = true;
    if (schema === true) {
      children.push({ schema: open, root });
    } else if (isObject(schema)) {
      children.push({ schema, root });
    }
  };
  for (const { schema, root } of nodes) {
    const properties = objectOrUndefined(schema.properties);
    const patterns = objectOrUndefined(schema.patternProperties);
    let matched = false;
    if (properties && Object.hasOwn(properties, key)) {
      add(properties[key], root);
      matched = true;
    }
    for (const [pattern, child] of Object.entries(patterns ?? {})) {
      if (matchesPattern(pattern, key)) {
        add(child, root);
        matched = true;
      }
    }
    const additional = schema.additionalProperties;
    if (matched || !allowOpen || additional === false) {
      continue;
    }
    if (additional !== undefined) {
      add(additional, root);
    } else if (!properties && !patterns && !hasCombinator(schema)) {
      add(true, root);
    }
  }
  return { declared, children };
}

function itemSchemas(
  nodes: readonly SchemaNode[],
  index: number,
): SchemaNode[] {
  return nodes.flatMap(({ schema, root }) => {
    const tuple = Array.isArray(schema.prefixItems)
      ? schema.prefixItems
      : Array.isArray(schema.items)
        ? schema.items
        : undefined;
    let item: JsonValue | undefined;
    if (tuple && index < tuple.length) {
      item = tuple[index];
    } else if (tuple) {
      item = Array.isArray(schema.items)
        ? schema.additionalItems
        : schema.items;
    } else {
      item = schema.items;
    }
    if (item === undefined && hasCombinator(schema)) {
      // Its combinators' nodes say what the items are.
      return [];
    }
    if (item === undefined || item === true) {
      return [{ schema: open, root }];
    }
    return isObject(item) ? [{ schema: item, root }] : [];
  });
}

/**
 * A node with the nodes its combinators and local `$ref`s bring in, keeping
 * only those whose `type` admits `kind`.
 */
function expand(
  node: SchemaNode,
  kind: 'object' | 'array',
  seen = new Set<JsonObject>(),
): SchemaNode[] {
  const { schema, root } = node;
  if (seen.has(schema)) {
    return [];
  }
  seen.add(schema);
  const type = schema.type;
  const types = Array.isArray(type)
    ? type
    : type === undefined
      ? [kind]
      : [type];
  if (!types.includes(kind)) {
    return [];
  }
  const nested: JsonValue[] = [
    ...arrayOrEmpty(schema.allOf),
    ...arrayOrEmpty(schema.anyOf),
    ...arrayOrEmpty(schema.oneOf),
    ...[schema.then, schema.else].filter(s => s !== undefined),
  ];
  if (typeof schema.$ref === 'string') {
    // A reference this walk cannot follow leaves the key open.
    nested.push(resolveRef(root, schema.$ref) ?? true);
  }
  return [
    node,
    ...nested.flatMap(child => {
      if (child === true) {
        return [{ schema: open, root }];
      }
      return isObject(child) ? expand({ schema: child, root }, kind, seen) : [];
    }),
  ];
}

function expandAll(
  nodes: readonly SchemaNode[],
  kind: 'object' | 'array',
): SchemaNode[] {
  return nodes.flatMap(node => expand(node, kind));
}

function resolveRef(root: JsonObject, ref: string): JsonObject | undefined {
  if (!ref.startsWith('#')) {
    return undefined;
  }
  let current: JsonValue | undefined = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const segment = decodeURIComponent(raw)
      .replace(/~1/g, '/')
      .replace(/~0/g, '~');
    current = isObject(current) ? current[segment] : undefined;
  }
  return isObject(current) ? current : undefined;
}

function unknownKey(
  nodes: readonly SchemaNode[],
  path: ConfigPath,
  sources: readonly ConfigSource[],
): { error: ConfigError; suggested: boolean } {
  const key = String(path[path.length - 1]);
  const known = [
    ...new Set(
      nodes.flatMap(n =>
        Object.keys(objectOrUndefined(n.schema.properties) ?? {}),
      ),
    ),
  ].sort();
  const closest = suggestClosestName(key, known);
  const fullKey = formatConfigPath(path);
  const source = findConfigSource(sources, path)?.context ?? 'config';
  let fix: string;
  if (closest !== undefined) {
    fix = `did you mean '${formatConfigPath([...path.slice(0, -1), closest])}'?`;
  } else if (known.length > 0) {
    fix = `remove it, or use one of the known keys ${quoteList(known)}.`;
  } else {
    fix = 'remove it, as no config schema declares keys here.';
  }
  const error = new ConfigError(
    'CONFIG_UNKNOWN_KEY',
    `Invalid config at '${fullKey}' (${source}): unknown key; ${fix}`,
    { key: fullKey, source },
  );
  return { error, suggested: closest !== undefined };
}

function matchesPattern(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    // Ajv reports an invalid pattern when it validates values.
    return false;
  }
}

function hasCombinator(schema: JsonObject): boolean {
  return combinatorKeys.some(k => schema[k] !== undefined);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectOrUndefined(
  value: JsonValue | undefined,
): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

function arrayOrEmpty(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}
