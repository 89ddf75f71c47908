import fs from 'node:fs';
import path from 'node:path';
import type { JsonObject, JsonValue } from '@plinth/backend-plugin-api';
import { ConfigError, describeConfigValue } from '../errors';
import type { ConfigSource } from './ConfigReader';
import { findPrototypeKeys, prototypeKeyError } from './prototypeKeys';
import { readConfigDocument } from './readConfigDocument';
import { resolveConfigValues } from './resolveConfigValues';

/**
 * Reads every config layer: the `--config` files in order, or else
 * `app-config.yaml` plus `app-config.local.yaml` when present in the root
 * directory, then one layer per `APP_CONFIG_*` variable. Every problem is
 * returned rather than thrown, so that all of them can be reported at once.
 */
export async function loadConfigSources(options: {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  rootDir: string;
}): Promise<{ sources: ConfigSource[]; problems: Error[] }> {
  const { argv, env, cwd, rootDir } = options;
  const args = parseConfigArgs(argv);
  const problems: Error[] = [...args.problems];
  const files =
    args.paths.length > 0
      ? args.paths.map(p => path.resolve(cwd, p))
      : [
          path.join(rootDir, 'app-config.yaml'),
          path.join(rootDir, 'app-config.local.yaml'),
        ].filter((file, i) => i === 0 || fs.existsSync(file));
  const describeFile = (file: string) => {
    const relative = path.relative(rootDir, file);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
      ? relative
      : file;
  };
  const sources: ConfigSource[] = [];
  for (const file of files) {
    const result = await loadConfigFile({ file, describeFile, env });
    problems.push(...result.problems);
    if (result.source) {
      sources.push(result.source);
    }
  }
  const overrides = readEnvConfig(env);
  problems.push(...overrides.problems);
  sources.push(...overrides.sources);
  return { sources, problems };
}

/**
 * The paths given with `--config <path>` or `--config=<path>`, in order.
 */
export function parseConfigArgs(argv: readonly string[]): {
  paths: string[];
  problems: ConfigError[];
} {
  const paths: string[] = [];
  const problems: ConfigError[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--config=')) {
      paths.push(arg.slice('--config='.length));
    } else if (arg === '--config') {
      const next = argv[i + 1];
      if (next === undefined) {
        problems.push(configFileErrors.missingPath());
      } else {
        paths.push(next);
        i++;
      }
    }
  }
  return { paths, problems };
}

/**
 * Options for {@link loadConfigFile}.
 */
export interface LoadConfigFileOptions {
  /** The absolute path of the file. */
  file: string;
  /** Names a file in errors, relative to the root directory where possible. */
  describeFile(file: string): string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads one config file into a layer named after the file, with every
 * substitution applied and the secrets they brought in. An empty file is an
 * empty layer. Every problem is returned rather than thrown, so that all
 * of them can be reported at once.
 */
export async function loadConfigFile(
  options: LoadConfigFileOptions,
): Promise<{ source?: ConfigSource; problems: Error[] }> {
  const context = options.describeFile(options.file);
  const document = await readConfigDocument(options.file);
  if (document.kind === 'missing') {
    return { problems: [configFileErrors.missing(context)] };
  }
  if (document.kind === 'unreadable') {
    return {
      problems: [configFileErrors.unreadable(context, document.reason)],
    };
  }
  if (document.kind === 'invalid') {
    const { line, column, reason } = document;
    return {
      problems: [configFileErrors.invalidYaml(context, line, column, reason)],
    };
  }
  const { value } = document;
  if (value === null) {
    return { source: { data: {}, context }, problems: [] };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [configFileErrors.notAnObject(context, value)] };
  }
  const resolved = await resolveConfigValues(value, options);
  return {
    source: {
      data: (resolved.value ?? {}) as JsonObject,
      context,
      secrets: resolved.secrets,
    },
    problems: resolved.problems,
  };
}

const prefix = 'APP_CONFIG_';

interface Override {
  variable: string;
  path: string[];
  value: JsonValue;
  data: JsonObject;
}

/**
 * Reads `APP_CONFIG_<key>_<key>...=<json>` environment variables as config
 * layers, one per variable, each named after its variable so that errors
 * point at it. Layers are sorted by name, so a variable for a key comes
 * before those for keys below it. A variable whose name or value has a key
 * such as `constructor` is reported and left out; `__proto__` cannot be
 * named, as its underscores make empty keys.
 */
export function readEnvConfig(
  env: Readonly<Record<string, string | undefined>>,
): { sources: ConfigSource[]; problems: ConfigError[] } {
  const problems: ConfigError[] = [];
  const overrides: Override[] = [];
  const variables = Object.keys(env)
    .filter(name => name.startsWith(prefix) && env[name] !== undefined)
    .sort();
  for (const variable of variables) {
    const path = variable.slice(prefix.length).split('_');
    if (path.some(segment => segment === '')) {
      problems.push(envOverrideErrors.invalidName(variable));
      continue;
    }
    let value: JsonValue;
    try {
      value = JSON.parse(env[variable]!) as JsonValue;
    } catch {
      problems.push(envOverrideErrors.notJson(variable));
      continue;
    }
    // A computed key defines an own property, so no segment sets a prototype.
    const data = path.reduceRight<JsonValue>(
      (inner, segment) => ({ [segment]: inner }),
      value,
    ) as JsonObject;
    const refused = findPrototypeKeys(data);
    if (refused.length > 0) {
      problems.push(...refused.map(p => prototypeKeyError(p, variable)));
      continue;
    }
    overrides.push({ variable, path, value, data });
  }
  for (const outer of overrides) {
    const isObject =
      typeof outer.value === 'object' &&
      outer.value !== null &&
      !Array.isArray(outer.value);
    const nested = overrides.find(
      inner =>
        inner.path.length > outer.path.length &&
        outer.path.every((segment, i) => inner.path[i] === segment),
    );
    if (nested && !isObject) {
      problems.push(
        envOverrideErrors.conflict(outer.variable, nested.variable),
      );
    }
  }
  const sources = overrides.map(({ variable, data }) => ({
    context: variable,
    data,
  }));
  return { sources, problems };
}

/**
 * The directory that holds `app-config.yaml`: the nearest ancestor of
 * `cwd` (or `cwd` itself) whose `package.json` declares `workspaces`, or
 * `cwd` when there is none, as when the backend runs outside a monorepo.
 *
 * @example
 * ```ts
 * const rootDir = findRootDir(process.cwd());
 * ```
 * @public
 */
export function findRootDir(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (hasWorkspaces(path.join(dir, 'package.json'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return path.resolve(cwd);
    }
    dir = parent;
  }
}

function hasWorkspaces(file: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return (
      typeof manifest === 'object' &&
      manifest !== null &&
      'workspaces' in manifest
    );
  } catch {
    // No package.json here, or one that is not JSON: not a root.
    return false;
  }
}

/** The errors of a config file that cannot be used, named as `file`. */
const configFileErrors = {
  /** The file does not exist. */
  missing(file: string): ConfigError {
    return new ConfigError(
      'CONFIG_FILE_MISSING',
      `Could not read config file '${file}': the file does not exist; create it, or pass an existing file with --config.`,
      { source: file },
    );
  },

  /** The file exists but could not be read, such as a directory. */
  unreadable(file: string, reason: string): ConfigError {
    return new ConfigError(
      'CONFIG_FILE_UNREADABLE',
      `Could not read config file '${file}': ${reason}; point --config at a readable file.`,
      { source: file },
    );
  },

  /** The file is not valid YAML. */
  invalidYaml(
    file: string,
    line: number,
    column: number,
    reason: string,
  ): ConfigError {
    return new ConfigError(
      'CONFIG_FILE_INVALID',
      `Could not parse config file '${file}': invalid YAML at line ${line}, column ${column} (${reason}); fix the syntax there.`,
      { source: file },
    );
  },

  /** The document is a list or a scalar rather than an object of keys. */
  notAnObject(file: string, value: unknown): ConfigError {
    return new ConfigError(
      'CONFIG_FILE_INVALID',
      `Could not use config file '${file}': its document is ${describeConfigValue(value)}, not an object of keys; write it as 'key: value' lines.`,
      { source: file },
    );
  },

  /** `--config` is the last argument, with no path after it. */
  missingPath(): ConfigError {
    return new ConfigError(
      'CONFIG_ARGUMENT_INVALID',
      "Could not read config files: '--config' is the last argument and has no path; pass it as '--config <path>' or '--config=<path>'.",
    );
  },
};

/** The errors of an `APP_CONFIG_*` variable that cannot be used. */
const envOverrideErrors = {
  /** The value does not parse as JSON, such as an unquoted string. */
  notJson(variable: string): ConfigError {
    return new ConfigError(
      'CONFIG_ENV_INVALID',
      `Invalid config override in environment variable '${variable}': the value is not JSON; quote text as a JSON string, as in ${variable}='"some text"'.`,
      { source: variable },
    );
  },

  /** The name has an empty key segment, such as `APP_CONFIG_a__b`. */
  invalidName(variable: string): ConfigError {
    return new ConfigError(
      'CONFIG_ENV_INVALID',
      `Invalid config override in environment variable '${variable}': the name has an empty key; name it APP_CONFIG_<key>_<key>... with one underscore between keys.`,
      { source: variable },
    );
  },

  /** One variable sets a plain value where another sets a key below it. */
  conflict(variable: string, nested: string): ConfigError {
    return new ConfigError(
      'CONFIG_ENV_CONFLICT',
      `Invalid config override in environment variables '${variable}' and '${nested}': the first sets a value that is not an object, so the second cannot set a key below it; remove one of them.`,
      { source: variable },
    );
  },
};
