import { parseArgs } from 'node:util';
import { ValidateCommandError } from '../errors';
import { defaultBackendUrl } from '../token/parseTokenArgs';

/** What the command line of `yarn plinth validate-entities` asks for. */
export interface ValidateArgs {
  /** File paths and glob patterns, as given. */
  patterns: string[];
  /** The backend's base URL, without a trailing slash. */
  url: string;
  /** The caller's credential, sent as a bearer token. */
  token: string;
  /** The location ref the files stand for, such as `url:https://...`. */
  location?: string;
  format: 'text' | 'json';
}

export const validateUsage = `Usage:
  yarn plinth validate-entities <file or glob>... [--location url:<address>] [--format text|json]
Validates the catalog files against a running backend's catalog without storing anything, and
exits with 0 when every document is valid, 1 when any is invalid, 2 on a usage or connection error.
--location names the registered location the files stand for, to list what they would delete.
--url <backend URL> (or PLINTH_URL; default ${defaultBackendUrl}); --token <credential> (or
PLINTH_TOKEN, which keeps it out of your shell history).`;

const formats = ['text', 'json'];

/**
 * Reads `yarn plinth validate-entities ...`.
 *
 * @param env - read for `PLINTH_URL` and `PLINTH_TOKEN`.
 * @throws ValidateCommandError `VALIDATE_INVALID_ARGUMENTS` naming what
 *   is wrong, or `VALIDATE_MISSING_CREDENTIALS` when no credential is given.
 */
export function parseValidateArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ValidateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        location: { type: 'string' },
        format: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw invalid(`${(error as Error).message}.`);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    throw invalid(
      'Missing files: name the catalog files to validate, such as catalog-info.yaml or "catalog/**/*.yaml".',
    );
  }
  const format = values.format ?? 'text';
  if (!formats.includes(format)) {
    throw invalid(
      `Invalid --format '${format}': the formats are 'text' and 'json'.`,
    );
  }
  const { location } = values;
  if (location !== undefined && !/^url:https?:\/\/[^/]/.test(location)) {
    throw invalid(
      `Invalid --location '${location}': give the ref of a url location, such as 'url:https://github.com/org/repo/blob/main/catalog-info.yaml'.`,
    );
  }
  const url = (values.url ?? env.PLINTH_URL ?? defaultBackendUrl).replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw invalid(
      `Invalid backend URL '${url}': give an http or https URL such as ${defaultBackendUrl}.`,
    );
  }
  const token = values.token ?? env.PLINTH_TOKEN;
  if (!token) {
    throw new ValidateCommandError(
      'VALIDATE_MISSING_CREDENTIALS',
      `No credential to call the backend with: set PLINTH_TOKEN (or pass --token) to a token allowed to validate entities, such as a static token from 'backend.auth.externalAccess' or, locally, the development token in .plinth/dev-token.`,
    );
  }
  return {
    patterns: positionals,
    url,
    token,
    ...(location !== undefined && { location }),
    format: format as ValidateArgs['format'],
  };
}

function invalid(problem: string): ValidateCommandError {
  return new ValidateCommandError(
    'VALIDATE_INVALID_ARGUMENTS',
    `${problem}\n${validateUsage}`,
  );
}
