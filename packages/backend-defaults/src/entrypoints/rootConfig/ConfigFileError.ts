import { CustomErrorBase } from '@plinth/errors';
import { describeConfigValue } from './describeConfigValue';
import type { ConfigPath } from './formatConfigPath';
import { describePrototypeKey } from './prototypeKeys';

/**
 * A config file could not be found, read or parsed, its document is not an
 * object of keys, or it uses a key that config refuses, such as `__proto__`.
 *
 * @public
 */
export class ConfigFileError extends CustomErrorBase {
  readonly name = 'ConfigFileError' as const;

  /**
   * @param file - the file as errors name it, relative to the root directory
   *   when it lies below it; absent when no file could be named.
   */
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }

  /** The file does not exist. */
  static missing(file: string): ConfigFileError {
    return new ConfigFileError(
      `Could not read config file '${file}': the file does not exist; create it, or pass an existing file with --config.`,
      file,
    );
  }

  /** The file exists but could not be read, such as a directory. */
  static unreadable(file: string, reason: string): ConfigFileError {
    return new ConfigFileError(
      `Could not read config file '${file}': ${reason}; point --config at a readable file.`,
      file,
    );
  }

  /** The file is not valid YAML. */
  static invalidYaml(
    file: string,
    line: number,
    column: number,
    reason: string,
  ): ConfigFileError {
    return new ConfigFileError(
      `Could not parse config file '${file}': invalid YAML at line ${line}, column ${column} (${reason}); fix the syntax there.`,
      file,
    );
  }

  /** The document is a list or a scalar rather than an object of keys. */
  static notAnObject(file: string, value: unknown): ConfigFileError {
    return new ConfigFileError(
      `Could not use config file '${file}': its document is ${describeConfigValue(value)}, not an object of keys; write it as 'key: value' lines.`,
      file,
    );
  }

  /**
   * The file has a key such as `__proto__` at `path`.
   *
   * @param file - the file that holds the key: a config file, or a file
   *   that one includes with `$include`.
   */
  static prototypeKey(file: string, path: ConfigPath): ConfigFileError {
    return new ConfigFileError(describePrototypeKey(path, file), file);
  }

  /** `--config` is the last argument, with no path after it. */
  static missingPath(): ConfigFileError {
    return new ConfigFileError(
      "Could not read config files: '--config' is the last argument and has no path; pass it as '--config <path>' or '--config=<path>'.",
    );
  }
}
