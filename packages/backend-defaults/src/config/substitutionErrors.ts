import { quoteList } from '@plinth/errors';
import {
  ConfigError,
  describeConfigValue,
  type ConfigErrorCode,
} from '../errors';

/** The config forms that replace themselves with another value. */
type ConfigTransform = '$env' | '$file' | '$include';

const transformArguments: Record<ConfigTransform, string> = {
  $env: 'the name of an environment variable',
  $file: 'a file path',
  $include: 'a file path',
};

/**
 * The errors of a `${VAR}` reference, `$env`, `$file` or `$include` in a
 * config file that could not be resolved, each at the full `key` of the
 * value (such as `backend.baseUrl`) in the config `file` that holds it.
 */
export const substitutionErrors = {
  /** A `${VAR}` reference names a variable that is not set. */
  unsetVariable(key: string, file: string, variable: string): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_UNSET_VARIABLE',
      key,
      file,
      `environment variable '${variable}' is not set; set it, or write '$\${${variable}}' to keep the text literally`,
    );
  },

  /** A `${...}` reference does not hold a variable name. */
  invalidReference(key: string, file: string, reference: string): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_INVALID',
      key,
      file,
      `'${reference}' is not a valid variable reference; write '\${NAME}' with letters, digits and underscores, or '$\${' for a literal '\${'`,
    );
  },

  /** `$env` names a variable that is not set. */
  unsetEnv(key: string, file: string, variable: string): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_UNSET_VARIABLE',
      key,
      file,
      `environment variable '${variable}' given to '$env' is not set; set it before starting the backend`,
    );
  },

  /** The value of `$env`, `$file` or `$include` is not a non-empty string. */
  invalidArgument(
    key: string,
    file: string,
    transform: ConfigTransform,
    value: unknown,
  ): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_INVALID',
      key,
      file,
      `'${transform}' needs ${transformArguments[transform]}, got ${describeConfigValue(value)}; write it as '${transform}: <${transform === '$env' ? 'NAME' : 'path'}>'`,
    );
  },

  /** `$env`, `$file` or `$include` shares its object with other keys. */
  extraKeys(
    key: string,
    file: string,
    transform: ConfigTransform,
    others: readonly string[],
  ): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_INVALID',
      key,
      file,
      `'${transform}' must be the only key of its object, but ${quoteList(others)} ${others.length === 1 ? 'is' : 'are'} there too; move the other keys elsewhere`,
    );
  },

  /** The file given to `$file` or `$include` does not exist. */
  missingFile(
    key: string,
    file: string,
    transform: ConfigTransform,
    target: string,
  ): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_FILE',
      key,
      file,
      `file '${target}' given to '${transform}' does not exist; create it or fix the path, which is relative to the directory of '${file}'`,
    );
  },

  /** The file given to `$file` or `$include` exists but could not be read. */
  unreadableFile(
    key: string,
    file: string,
    transform: ConfigTransform,
    target: string,
    reason: string,
  ): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_FILE',
      key,
      file,
      `could not read file '${target}' given to '${transform}' (${reason}); point it at a readable file`,
    );
  },

  /** `$include` names a file that is not YAML or JSON. */
  unsupportedInclude(key: string, file: string, target: string): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_FILE',
      key,
      file,
      `file '${target}' given to '$include' is not .yaml, .yml or .json; use '$file' to read it as text`,
    );
  },

  /** The file given to `$include` is not valid YAML or JSON. */
  invalidInclude(
    key: string,
    file: string,
    target: string,
    position: { line: number; column: number; reason: string },
  ): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_FILE',
      key,
      file,
      `file '${target}' given to '$include' has invalid YAML at line ${position.line}, column ${position.column} (${position.reason}); fix the syntax there`,
    );
  },

  /** The `#fragment` of `$include` names a key the included document lacks. */
  missingIncludeKey(
    key: string,
    file: string,
    target: string,
    fragment: string,
  ): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_FILE',
      key,
      file,
      `key '${fragment}' does not exist in file '${target}' given to '$include'; fix the part after '#'`,
    );
  },

  /** Files include each other in a loop. */
  includeCycle(
    key: string,
    file: string,
    chain: readonly string[],
  ): ConfigError {
    return substitutionError(
      'CONFIG_SUBSTITUTION_CYCLE',
      key,
      file,
      `'$include' makes a cycle ${chain.map(c => `'${c}'`).join(' -> ')}; remove one of these includes`,
    );
  },
};

function substitutionError(
  code: ConfigErrorCode,
  key: string,
  file: string,
  problem: string,
): ConfigError {
  return new ConfigError(
    code,
    `Invalid config at '${key}' (${file}): ${problem}.`,
    { key, source: file },
  );
}
