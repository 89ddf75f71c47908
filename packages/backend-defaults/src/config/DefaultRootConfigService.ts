import fs from 'node:fs';
import path from 'node:path';
import type { Config, JsonObject } from '@plinth/backend-plugin-api';
import { ConfigError } from '../errors';
import {
  collectConfigSchemas,
  type PackageConfigSchema,
} from './collectConfigSchemas';
import { ConfigReader, type ConfigSource } from './ConfigReader';
import { findConfigSource, type ConfigPath } from './configPath';
import type { UndeclaredConfigKey } from './findUnknownConfigKeys';
import { findRootDir, loadConfigSources } from './loadConfigSources';
import { validateConfig } from './validateConfig';

/** The warnings of each config {@link DefaultRootConfigService} loaded. */
const warningsByConfig = new WeakMap<Config, readonly string[]>();

/**
 * Options for {@link DefaultRootConfigService.create}.
 *
 * @public
 */
export interface DefaultRootConfigServiceOptions {
  /**
   * Command-line arguments, searched for `--config <path>` and
   * `--config=<path>`.
   * @defaultValue `process.argv`
   */
  argv?: readonly string[];
  /**
   * Variables for `${VAR}`, `$env` and `APP_CONFIG_*` overrides.
   * @defaultValue `process.env`
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The directory `--config` paths are relative to.
   * @defaultValue `process.cwd()`
   */
  cwd?: string;
  /**
   * Where `app-config.yaml` and `app-config.local.yaml` are read when no
   * `--config` is given; errors name files relative to it.
   * @defaultValue the nearest ancestor of `cwd` whose package.json has
   *   `workspaces`, else `cwd` (see {@link findRootDir})
   */
  rootDir?: string;
  /**
   * The package whose `dependencies` closure is searched for
   * `configSchema` declarations.
   * @defaultValue the directory of the nearest package.json above
   *   `require.main?.filename ?? process.argv[1]`
   */
  packageDir?: string;
  /**
   * More schemas to validate against, on top of those found in packages.
   * @defaultValue `[]`
   */
  schemas?: readonly PackageConfigSchema[];
}

/**
 * Loads the backend's config: files, substitutions, environment overrides,
 * and validation against every config schema in the backend's packages.
 *
 * @remarks
 * Files are the `--config` paths in order (later ones win), or else
 * `app-config.yaml` plus `app-config.local.yaml` when present, in the root
 * directory. Strings may hold `${VAR}` references (`$${` writes a literal
 * `${`); `{ $env: NAME }`, `{ $file: path }` and
 * `{ $include: path#dot.path }` objects replace themselves, with paths
 * relative to the file that holds them. `APP_CONFIG_<key>_<key>=<json>`
 * variables win over every file. Schemas come from the `configSchema` field
 * of each package.json in the dependency closure of `packageDir` (an inline
 * JSON Schema or a path to a .json file), plus this package's own schema;
 * `visibility: 'secret'` marks secrets. A schema node's `title` is used as
 * what was expected in errors about that node, as in "expected a duration".
 * Below a top-level key that some schema declares, keys that no schema
 * declares are errors. A top-level key that no schema declares is an error
 * when it is close to a declared one (`catlog` for `catalog`); the others,
 * such as the keys of plugins without a schema, are named in one warning
 * that {@link readConfigWarnings} returns, when the packages declared any
 * schema. The keys `__proto__`, `constructor` and `prototype` are errors
 * anywhere, in files, included documents and `APP_CONFIG_*` names and
 * values. Values from `${VAR}`, `$env`, `$file` and secret keys are listed
 * by {@link readConfigSecrets}, for redaction.
 *
 * @public
 */
export class DefaultRootConfigService {
  private constructor() {}

  /**
   * Loads and validates the config.
   *
   * @example
   * ```ts
   * const config = await DefaultRootConfigService.create({
   *   argv: ['--config', 'app-config.yaml', '--config', 'app-config.production.yaml'],
   * });
   * config.getNumber('backend.listen.port');
   * ```
   * @throws {@link ConfigError} with code `CONFIG_INVALID`, listing every
   *   problem found while loading and validating, one per line.
   */
  static async create(
    options: DefaultRootConfigServiceOptions = {},
  ): Promise<ConfigReader> {
    const env = options.env ?? process.env;
    const cwd = path.resolve(options.cwd ?? process.cwd());
    const rootDir = path.resolve(cwd, options.rootDir ?? findRootDir(cwd));
    const loaded = await loadConfigSources({
      argv: options.argv ?? process.argv,
      env,
      cwd,
      rootDir,
    });
    const collected = await collectConfigSchemas(
      options.packageDir ?? findDefaultPackageDir(cwd),
    );
    const schemas = [...collected.schemas, ...(options.schemas ?? [])];
    const merged =
      ConfigReader.fromConfigs(loaded.sources).getOptional<JsonObject>() ?? {};
    const validation = validateConfig(merged, schemas, loaded.sources);
    const problems = [
      ...loaded.problems,
      ...collected.problems,
      ...withoutUnresolved(validation.problems, loaded.problems),
    ];
    if (problems.length > 0) {
      throw invalidConfig(problems);
    }
    const config = ConfigReader.fromConfigs(
      addSecrets(loaded.sources, validation.secrets),
    );
    warningsByConfig.set(
      config,
      collected.fromPackages
        ? describeUndeclaredKeys(validation.undeclared)
        : [],
    );
    return config;
  }
}

/**
 * The warnings found while {@link DefaultRootConfigService} loaded `config`,
 * such as top-level keys that no config schema declares. The root logger
 * prints them, as the config is loaded before any logger exists; a config
 * loaded otherwise has none.
 *
 * @public
 */
export function readConfigWarnings(config: Config): string[] {
  return [...(warningsByConfig.get(config) ?? [])];
}

/**
 * The values of `config` that came from secrets, for the logger and the
 * HTTP error handler to redact. Configs that do not track secrets, such as
 * another implementation of {@link @plinth/backend-plugin-api#Config}, have none.
 *
 * @public
 */
export function readConfigSecrets(
  config: Config,
  options?: {
    /** Only values at keys a schema marks secret, not every substitution. */
    declaredOnly?: boolean;
  },
): string[] {
  return config instanceof ConfigReader ? config.secretValues(options) : [];
}

/**
 * The error for every problem found while loading: user mistakes, so it
 * carries no stack trace, and printing it shows the message only.
 */
function invalidConfig(problems: readonly Error[]): ConfigError {
  const count =
    problems.length === 1
      ? 'this problem'
      : `these ${problems.length} problems`;
  const error = new ConfigError(
    'CONFIG_INVALID',
    `Backend config is invalid; fix ${count} and start the backend again:\n${problems.map(p => `  - ${p.message}`).join('\n')}`,
    { problems },
  );
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/** One line naming every undeclared top-level key, or none. */
function describeUndeclaredKeys(
  undeclared: readonly UndeclaredConfigKey[],
): string[] {
  if (undeclared.length === 0) {
    return [];
  }
  const keys = undeclared.map(u => `'${u.key}' (${u.context})`).join(', ');
  return [
    undeclared.length === 1
      ? `Config key ${keys} is not declared by any installed package's config schema, so it is not checked; check its spelling, or declare it in the config schema of the plugin that reads it.`
      : `Config keys ${keys} are not declared by any installed package's config schema, so they are not checked; check their spelling, or declare them in the config schemas of the plugins that read them.`,
  ];
}

/**
 * Drops validation problems about values that could not be substituted:
 * the substitution error already names them.
 */
function withoutUnresolved(
  problems: readonly Error[],
  loadProblems: readonly Error[],
): Error[] {
  const unresolved = loadProblems
    .filter(
      p =>
        p instanceof ConfigError && p.code.startsWith('CONFIG_SUBSTITUTION_'),
    )
    .map(p => (p as ConfigError).key ?? '');
  return problems.filter(problem => {
    const key =
      'key' in problem && typeof problem.key === 'string' ? problem.key : '';
    return !unresolved.some(
      u => key === u || key.startsWith(`${u}.`) || key.startsWith(`${u}[`),
    );
  });
}

/**
 * Adds each schema-marked secret to the layer its value comes from, among
 * its secrets and as one of its declared secrets.
 */
function addSecrets(
  sources: readonly ConfigSource[],
  secrets: ReadonlyArray<{ path: ConfigPath; value: string }>,
): ConfigSource[] {
  const added = new Map<ConfigSource, string[]>();
  for (const { path: at, value } of secrets) {
    const source = findConfigSource(sources, at);
    if (source) {
      added.set(source, [...(added.get(source) ?? []), value]);
    }
  }
  return sources.map(source => ({
    ...source,
    secrets: [
      ...new Set([...(source.secrets ?? []), ...(added.get(source) ?? [])]),
    ],
    declaredSecrets: added.get(source) ?? [],
  }));
}

function findDefaultPackageDir(cwd: string): string {
  const start = require.main?.filename ?? process.argv[1];
  if (!start) {
    return cwd;
  }
  for (let dir = path.dirname(path.resolve(start)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      return cwd;
    }
  }
}
