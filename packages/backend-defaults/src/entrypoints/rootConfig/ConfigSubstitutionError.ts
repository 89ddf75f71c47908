import { CustomErrorBase } from '@plinth/errors';
import { describeConfigValue } from './describeConfigValue';

/** The config forms that replace themselves with another value. */
type ConfigTransform = '$env' | '$file' | '$include';

const transformArguments: Record<ConfigTransform, string> = {
  $env: 'the name of an environment variable',
  $file: 'a file path',
  $include: 'a file path',
};

/**
 * A `${VAR}` reference, `$env`, `$file` or `$include` in a config file could
 * not be resolved.
 *
 * @public
 */
export class ConfigSubstitutionError extends CustomErrorBase {
  readonly name = 'ConfigSubstitutionError' as const;

  /**
   * @param key - the full key of the value, such as `backend.baseUrl`.
   * @param file - the config file that holds the value.
   */
  constructor(
    readonly key: string,
    readonly file: string,
    problem: string,
  ) {
    super(`Invalid config at '${key}' (${file}): ${problem}.`);
  }

  /** A `${VAR}` reference names a variable that is not set. */
  static unsetVariable(
    key: string,
    file: string,
    variable: string,
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `environment variable '${variable}' is not set; set it, or write '$\${${variable}}' to keep the text literally`,
    );
  }

  /** A `${...}` reference does not hold a variable name. */
  static invalidReference(
    key: string,
    file: string,
    reference: string,
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `'${reference}' is not a valid variable reference; write '\${NAME}' with letters, digits and underscores, or '$\${' for a literal '\${'`,
    );
  }

  /** `$env` names a variable that is not set. */
  static unsetEnv(
    key: string,
    file: string,
    variable: string,
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `environment variable '${variable}' given to '$env' is not set; set it before starting the backend`,
    );
  }

  /** The value of `$env`, `$file` or `$include` is not a non-empty string. */
  static invalidArgument(
    key: string,
    file: string,
    transform: ConfigTransform,
    value: unknown,
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `'${transform}' needs ${transformArguments[transform]}, got ${describeConfigValue(value)}; write it as '${transform}: <${transform === '$env' ? 'NAME' : 'path'}>'`,
    );
  }

  /** `$env`, `$file` or `$include` shares its object with other keys. */
  static extraKeys(
    key: string,
    file: string,
    transform: ConfigTransform,
    others: readonly string[],
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `'${transform}' must be the only key of its object, but ${others.map(o => `'${o}'`).join(', ')} ${others.length === 1 ? 'is' : 'are'} there too; move the other keys elsewhere`,
    );
  }

  /** The file given to `$file` or `$include` does not exist. */
  static missingFile(
    key: string,
    file: string,
    transform: ConfigTransform,
    target: string,
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `file '${target}' given to '${transform}' does not exist; create it or fix the path, which is relative to the directory of '${file}'`,
    );
  }

  /** The file given to `$file` or `$include` exists but could not be read. */
  static unreadableFile(
    key: string,
    file: string,
    transform: ConfigTransform,
    target: string,
    reason: string,
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `could not read file '${target}' given to '${transform}' (${reason}); point it at a readable file`,
    );
  }

  /** `$include` names a file that is not YAML or JSON. */
  static unsupportedInclude(
    key: string,
    file: string,
    target: string,
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `file '${target}' given to '$include' is not .yaml, .yml or .json; use '$file' to read it as text`,
    );
  }

  /** The file given to `$include` is not valid YAML or JSON. */
  static invalidInclude(
    key: string,
    file: string,
    target: string,
    position: { line: number; column: number; reason: string },
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `file '${target}' given to '$include' has invalid YAML at line ${position.line}, column ${position.column} (${position.reason}); fix the syntax there`,
    );
  }

  /** The `#fragment` of `$include` names a key the included document lacks. */
  static missingIncludeKey(
    key: string,
    file: string,
    target: string,
    fragment: string,
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `key '${fragment}' does not exist in file '${target}' given to '$include'; fix the part after '#'`,
    );
  }

  /** Files include each other in a loop. */
  static includeCycle(
    key: string,
    file: string,
    chain: readonly string[],
  ): ConfigSubstitutionError {
    return new ConfigSubstitutionError(
      key,
      file,
      `'$include' makes a cycle ${chain.map(c => `'${c}'`).join(' -> ')}; remove one of these includes`,
    );
  }
}
