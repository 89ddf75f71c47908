import type { JsonObject } from '@plinth/backend-plugin-api';
import type { ConfigSource } from './ConfigReader';
import { ConfigFileError } from './ConfigFileError';
import { readConfigDocument } from './readConfigDocument';
import { resolveConfigValues } from './resolveConfigValues';

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
    return { problems: [ConfigFileError.missing(context)] };
  }
  if (document.kind === 'unreadable') {
    return { problems: [ConfigFileError.unreadable(context, document.reason)] };
  }
  if (document.kind === 'invalid') {
    const { line, column, reason } = document;
    return {
      problems: [ConfigFileError.invalidYaml(context, line, column, reason)],
    };
  }
  const { value } = document;
  if (value === null) {
    return { source: { data: {}, context }, problems: [] };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [ConfigFileError.notAnObject(context, value)] };
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
