import fs from 'node:fs/promises';
import path from 'node:path';
import type { JsonObject, JsonValue } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import type { ConfigError } from '../errors';
import {
  formatConfigPath,
  readConfigPath,
  type ConfigPath,
} from './configPath';
import { isPrototypeKey, prototypeKeyError } from './prototypeKeys';
import { readConfigDocument } from './readConfigDocument';
import { substitutionErrors } from './substitutionErrors';

/**
 * Options for {@link resolveConfigValues}.
 */
export interface ResolveConfigValuesOptions {
  /** The absolute path of the file that holds the value. */
  file: string;
  /** Names a file in errors, relative to the root directory where possible. */
  describeFile(file: string): string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * A config value with every substitution applied, the secret values that
 * substitutions brought in, every substitution that failed and every key
 * refused as a prototype key.
 */
export interface ResolvedConfigValues {
  /** `undefined` when the value itself could not be resolved. */
  value: JsonValue | undefined;
  secrets: string[];
  problems: ConfigError[];
}

interface ResolveState extends ResolveConfigValuesOptions {
  secrets: string[];
  problems: ConfigError[];
}

/** The files from the top-level config file down to the one being read. */
type IncludeChain = readonly string[];

const transforms = ['$env', '$file', '$include'] as const;
type Transform = (typeof transforms)[number];

const referencePattern = /\$?\$\{([^{}]*)\}/g;
const variableNamePattern = /^[A-Za-z_]\w*$/;
const includeExtensions = ['.yaml', '.yml', '.json'];

/**
 * Applies `${VAR}` references in strings and replaces `{ $env }`,
 * `{ $file }` and `{ $include }` objects, recursively. A value that cannot
 * be resolved is left out of its object (or is `null` in its array) and
 * reported with its key and file; so is a key such as `__proto__`, in the
 * file or in a document it includes.
 */
export async function resolveConfigValues(
  value: JsonValue,
  options: ResolveConfigValuesOptions,
): Promise<ResolvedConfigValues> {
  const state: ResolveState = { ...options, secrets: [], problems: [] };
  const resolved = await resolveValue(value, [], [options.file], state);
  return { value: resolved, secrets: state.secrets, problems: state.problems };
}

async function resolveValue(
  value: JsonValue,
  at: ConfigPath,
  chain: IncludeChain,
  state: ResolveState,
): Promise<JsonValue | undefined> {
  if (typeof value === 'string') {
    return substituteVariables(value, at, chain, state);
  }
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const [index, item] of value.entries()) {
      items.push(
        (await resolveValue(item, [...at, index], chain, state)) ?? null,
      );
    }
    return items;
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const transform = transforms.find(t => Object.hasOwn(value, t));
  if (transform) {
    return applyTransform(transform, value, at, chain, state);
  }
  const resolved: Array<[string, JsonValue]> = [];
  for (const [key, item] of Object.entries(value)) {
    if (isPrototypeKey(key)) {
      state.problems.push(
        prototypeKeyError(
          [...at, key],
          state.describeFile(chain[chain.length - 1]),
        ),
      );
      continue;
    }
    const result =
      item === undefined
        ? undefined
        : await resolveValue(item, [...at, key], chain, state);
    if (result !== undefined) {
      resolved.push([key, result]);
    }
  }
  // Built from entries: assigning a '__proto__' key would set the prototype.
  return Object.fromEntries(resolved);
}

function substituteVariables(
  text: string,
  at: ConfigPath,
  chain: IncludeChain,
  state: ResolveState,
): string | undefined {
  let failed = false;
  const fail = (problem: ConfigError) => {
    state.problems.push(problem);
    failed = true;
  };
  const key = formatConfigPath(at);
  const file = state.describeFile(chain[chain.length - 1]);
  const result = text.replace(referencePattern, (reference, inner: string) => {
    if (reference.startsWith('$$')) {
      return reference.slice(1);
    }
    const name = inner.trim();
    if (!variableNamePattern.test(name)) {
      fail(substitutionErrors.invalidReference(key, file, reference));
      return reference;
    }
    const variable = state.env[name];
    if (variable === undefined) {
      fail(substitutionErrors.unsetVariable(key, file, name));
      return reference;
    }
    addSecret(state, variable);
    return variable;
  });
  return failed ? undefined : result;
}

async function applyTransform(
  transform: Transform,
  value: JsonObject,
  at: ConfigPath,
  chain: IncludeChain,
  state: ResolveState,
): Promise<JsonValue | undefined> {
  const key = formatConfigPath(at);
  const current = chain[chain.length - 1];
  const file = state.describeFile(current);
  const others = Object.keys(value).filter(k => k !== transform);
  const argument = value[transform];
  if (others.length > 0) {
    state.problems.push(
      substitutionErrors.extraKeys(key, file, transform, others),
    );
    return undefined;
  }
  if (typeof argument !== 'string' || argument === '') {
    state.problems.push(
      substitutionErrors.invalidArgument(key, file, transform, argument),
    );
    return undefined;
  }
  if (transform === '$env') {
    const variable = state.env[argument];
    if (variable === undefined) {
      state.problems.push(substitutionErrors.unsetEnv(key, file, argument));
      return undefined;
    }
    addSecret(state, variable);
    return variable;
  }
  if (transform === '$file') {
    return readTextFile(argument, key, current, state);
  }
  return includeDocument(argument, at, chain, state);
}

async function readTextFile(
  target: string,
  key: string,
  current: string,
  state: ResolveState,
): Promise<string | undefined> {
  const file = state.describeFile(current);
  try {
    const text = await fs.readFile(
      path.resolve(path.dirname(current), target),
      'utf8',
    );
    addSecret(state, text);
    return text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    state.problems.push(
      code === 'ENOENT'
        ? substitutionErrors.missingFile(key, file, '$file', target)
        : substitutionErrors.unreadableFile(
            key,
            file,
            '$file',
            target,
            isError(error) ? error.message : String(error),
          ),
    );
    return undefined;
  }
}

async function includeDocument(
  argument: string,
  at: ConfigPath,
  chain: IncludeChain,
  state: ResolveState,
): Promise<JsonValue | undefined> {
  const key = formatConfigPath(at);
  const current = chain[chain.length - 1];
  const file = state.describeFile(current);
  const hash = argument.indexOf('#');
  const target = hash === -1 ? argument : argument.slice(0, hash);
  const fragment = hash === -1 ? '' : argument.slice(hash + 1);
  const included = path.resolve(path.dirname(current), target);
  const fail = (problem: ConfigError) => {
    state.problems.push(problem);
    return undefined;
  };
  if (!includeExtensions.includes(path.extname(included).toLowerCase())) {
    return fail(substitutionErrors.unsupportedInclude(key, file, target));
  }
  if (chain.includes(included)) {
    const loop = [...chain.slice(chain.indexOf(included)), included];
    return fail(
      substitutionErrors.includeCycle(
        key,
        file,
        loop.map(f => state.describeFile(f)),
      ),
    );
  }
  const document = await readConfigDocument(included);
  if (document.kind === 'missing') {
    return fail(substitutionErrors.missingFile(key, file, '$include', target));
  }
  if (document.kind === 'unreadable') {
    return fail(
      substitutionErrors.unreadableFile(
        key,
        file,
        '$include',
        target,
        document.reason,
      ),
    );
  }
  if (document.kind === 'invalid') {
    return fail(substitutionErrors.invalidInclude(key, file, target, document));
  }
  const value = fragment
    ? readConfigPath(document.value, fragment.split('.'))
    : document.value;
  if (value === undefined) {
    return fail(
      substitutionErrors.missingIncludeKey(key, file, target, fragment),
    );
  }
  return resolveValue(value, at, [...chain, included], state);
}

function addSecret(state: ResolveState, value: string) {
  // An empty secret would match everywhere and redact nothing useful.
  if (value !== '' && !state.secrets.includes(value)) {
    state.secrets.push(value);
  }
}
