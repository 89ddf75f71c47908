import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import { ConfigError, describeConfigValue } from '../errors';

/**
 * A JSON Schema for part of the config, and the package that declares it.
 *
 * @public
 */
export interface PackageConfigSchema {
  /** Named in errors, such as "required by the config schema of '<packageName>'". */
  packageName: string;
  schema: JsonObject;
}

interface PackageManifest {
  name?: unknown;
  dependencies?: unknown;
  configSchema?: unknown;
}

/**
 * Backstage's own framework packages, whose schemas describe the keys that
 * Backstage's runtime reads: `backend.*` with its database clients, `app`
 * as required. On Plinth those keys belong to Plinth's schema, and the
 * foreign verdict would refuse Plinth's valid config (`client: pglite`, no
 * `app`), so these schemas are not collected. Their dependencies still are:
 * a library such as `@backstage/integration` declares keys a Backstage
 * plugin reads on Plinth too.
 */
export const foreignRuntimePackages: ReadonlySet<string> = new Set([
  '@backstage/backend-defaults',
  '@backstage/backend-app-api',
  '@backstage/backend-common',
  '@backstage/backend-plugin-api',
]);

/** This package's own schema, which every backend validates against. */
const ownSchema = {
  packageName: '@plinth/backend-defaults',
  file: path.resolve(__dirname, '../../config.schema.json'),
};

/**
 * Collects the config schemas of `packageDir` and every package in its
 * `dependencies` closure (each resolved from the directory of the package
 * that depends on it; unresolvable ones are skipped), except those of
 * {@link foreignRuntimePackages}, followed by this
 * package's own schema when the closure lacks it. `fromPackages` says
 * whether any package of the closure declared a schema: when none did,
 * such as for a bare test directory, the schemas say nothing about which
 * keys the installed packages read.
 */
export async function collectConfigSchemas(packageDir: string): Promise<{
  schemas: PackageConfigSchema[];
  problems: ConfigError[];
  fromPackages: boolean;
}> {
  const schemas: PackageConfigSchema[] = [];
  const problems: ConfigError[] = [];
  const seen = new Set<string>();
  const queue = [path.resolve(packageDir)];
  while (queue.length > 0) {
    const isStart = seen.size === 0;
    const next = queue.shift()!;
    const dir = await fs.realpath(next).catch(() => next);
    if (seen.has(dir)) {
      continue;
    }
    seen.add(dir);
    let manifest: PackageManifest;
    try {
      manifest = JSON.parse(
        await fs.readFile(path.join(dir, 'package.json'), 'utf8'),
      ) as PackageManifest;
    } catch (error) {
      // Only the starting package must be readable; a broken dependency
      // is npm's problem to report, not the config's.
      if (isStart) {
        problems.push(
          configSchemaErrors.unreadablePackage(dir, describeReason(error)),
        );
      }
      continue;
    }
    const packageName = typeof manifest.name === 'string' ? manifest.name : dir;
    if (
      manifest.configSchema !== undefined &&
      !foreignRuntimePackages.has(packageName)
    ) {
      const found = await readSchema(packageName, dir, manifest.configSchema);
      schemas.push(...found.schemas);
      problems.push(...found.problems);
    }
    queue.push(...resolveDependencies(dir, manifest.dependencies));
  }
  const fromPackages = schemas.length > 0;
  if (!schemas.some(s => s.packageName === ownSchema.packageName)) {
    const found = await readSchema(
      ownSchema.packageName,
      path.dirname(ownSchema.file),
      path.basename(ownSchema.file),
    );
    schemas.push(...found.schemas);
    problems.push(...found.problems);
  }
  return { schemas, problems, fromPackages };
}

async function readSchema(
  packageName: string,
  dir: string,
  configSchema: unknown,
): Promise<{ schemas: PackageConfigSchema[]; problems: ConfigError[] }> {
  if (isJsonObject(configSchema)) {
    return { schemas: [{ packageName, schema: configSchema }], problems: [] };
  }
  if (typeof configSchema !== 'string' || !configSchema.endsWith('.json')) {
    return {
      schemas: [],
      problems: [configSchemaErrors.unsupported(packageName, configSchema)],
    };
  }
  const file = path.resolve(dir, configSchema);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return {
      schemas: [],
      problems: [
        configSchemaErrors.unreadable(
          packageName,
          configSchema,
          describeReason(error),
        ),
      ],
    };
  }
  let schema: unknown;
  let reason = 'it is not an object';
  try {
    schema = JSON.parse(text);
  } catch (error) {
    reason = describeReason(error);
  }
  if (!isJsonObject(schema)) {
    return {
      schemas: [],
      problems: [
        configSchemaErrors.invalidJson(packageName, configSchema, reason),
      ],
    };
  }
  return { schemas: [{ packageName, schema }], problems: [] };
}

function resolveDependencies(dir: string, dependencies: unknown): string[] {
  if (!isJsonObject(dependencies)) {
    return [];
  }
  return Object.keys(dependencies).flatMap(name => {
    const found = findDependencyDir(name, dir);
    return found === undefined ? [] : [found];
  });
}

/**
 * Where `name` resolves from `dir`. A package whose `exports` hide its
 * package.json is looked up in the node_modules folders above `dir`, as
 * Node would; one not installed at all (an optional or platform-specific
 * dependency) is skipped.
 */
function findDependencyDir(name: string, dir: string): string | undefined {
  try {
    return path.dirname(
      require.resolve(`${name}/package.json`, { paths: [dir] }),
    );
  } catch {
    for (let current = dir; ; current = path.dirname(current)) {
      const candidate = path.join(current, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) {
        return candidate;
      }
      if (path.dirname(current) === current) {
        return undefined;
      }
    }
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeReason(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/**
 * The errors of a package's config schema that cannot be used, each with
 * the package (or the directory searched, when no package could be read)
 * as its source.
 */
export const configSchemaErrors = {
  /** The package directory has no readable `package.json`. */
  unreadablePackage(dir: string, reason: string): ConfigError {
    return new ConfigError(
      'CONFIG_SCHEMA_UNREADABLE',
      `Could not read 'package.json' in '${dir}' to find config schemas: ${reason}; pass a package directory as packageDir.`,
      { source: dir },
    );
  },

  /** `configSchema` is neither an object nor a path to a `.json` file. */
  unsupported(packageName: string, value: unknown): ConfigError {
    return new ConfigError(
      'CONFIG_SCHEMA_UNSUPPORTED',
      `Could not use the config schema of package '${packageName}': 'configSchema' in its package.json must be a JSON Schema object or a path to a .json file, got ${describeConfigValue(value)}; convert the schema to a JSON file.`,
      { source: packageName },
    );
  },

  /** The schema file is missing or unreadable. */
  unreadable(packageName: string, file: string, reason: string): ConfigError {
    return new ConfigError(
      'CONFIG_SCHEMA_UNREADABLE',
      `Could not read the config schema of package '${packageName}' from '${file}': ${reason}; fix 'configSchema' in its package.json.`,
      { source: packageName },
    );
  },

  /** The schema file is not JSON, or not a JSON object. */
  invalidJson(packageName: string, file: string, reason: string): ConfigError {
    return new ConfigError(
      'CONFIG_SCHEMA_UNREADABLE',
      `Could not parse the config schema of package '${packageName}' in '${file}': ${reason}; write it as a JSON object.`,
      { source: packageName },
    );
  },

  /** Ajv rejected the schema. */
  invalid(packageName: string, reason: string): ConfigError {
    return new ConfigError(
      'CONFIG_SCHEMA_INVALID',
      `Invalid config schema of package '${packageName}': ${reason}; fix the schema, which must be draft-07 JSON Schema with 'visibility' one of 'frontend', 'backend' or 'secret'.`,
      { source: packageName },
    );
  },
};
