import { CustomErrorBase } from '@plinth/errors';
import { describeConfigValue } from './describeConfigValue';

/**
 * A package's config schema could not be read, or is not valid JSON Schema.
 *
 * @public
 */
export class ConfigSchemaError extends CustomErrorBase {
  readonly name = 'ConfigSchemaError' as const;

  /**
   * @param packageName - the package that declares the schema, or the
   *   directory searched when no package could be read.
   */
  constructor(
    message: string,
    readonly packageName: string,
  ) {
    super(message);
  }

  /** The package directory has no readable `package.json`. */
  static unreadablePackage(dir: string, reason: string): ConfigSchemaError {
    return new ConfigSchemaError(
      `Could not read 'package.json' in '${dir}' to find config schemas: ${reason}; pass a package directory as packageDir.`,
      dir,
    );
  }

  /** `configSchema` is neither an object nor a path to a `.json` file. */
  static unsupported(packageName: string, value: unknown): ConfigSchemaError {
    return new ConfigSchemaError(
      `Could not use the config schema of package '${packageName}': 'configSchema' in its package.json must be a JSON Schema object or a path to a .json file, got ${describeConfigValue(value)}; convert the schema to a JSON file.`,
      packageName,
    );
  }

  /** The schema file is missing or unreadable. */
  static unreadable(
    packageName: string,
    file: string,
    reason: string,
  ): ConfigSchemaError {
    return new ConfigSchemaError(
      `Could not read the config schema of package '${packageName}' from '${file}': ${reason}; fix 'configSchema' in its package.json.`,
      packageName,
    );
  }

  /** The schema file is not JSON, or not a JSON object. */
  static invalidJson(
    packageName: string,
    file: string,
    reason: string,
  ): ConfigSchemaError {
    return new ConfigSchemaError(
      `Could not parse the config schema of package '${packageName}' in '${file}': ${reason}; write it as a JSON object.`,
      packageName,
    );
  }

  /** Ajv rejected the schema. */
  static invalid(packageName: string, reason: string): ConfigSchemaError {
    return new ConfigSchemaError(
      `Invalid config schema of package '${packageName}': ${reason}; fix the schema, which must be draft-07 JSON Schema with 'visibility' one of 'frontend', 'backend' or 'secret'.`,
      packageName,
    );
  }
}
