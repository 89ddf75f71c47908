import { parseArgs } from 'node:util';
import { TokenCommandError } from '../errors';

/** Where the admin API lives and who calls it. */
export interface TokenConnection {
  /** The backend's base URL, without a trailing slash. */
  url: string;
  /** The caller's credential, sent as a bearer token. */
  token: string;
  /** Print the backend's answer as JSON, for scripts. */
  json: boolean;
}

/** What the command line of `yarn plinth token` asks for. */
export type TokenArgs = { connection: TokenConnection } & (
  | {
      action: 'create';
      name: string;
      scopes: {
        pluginIds?: string[];
        permissionNames?: string[];
        readOnly?: boolean;
      };
      /** ISO 8601; absent for the backend's longest lifetime. */
      expiresAt?: string;
    }
  | { action: 'list' }
  | { action: 'revoke'; name: string }
);

/** The backend's own default of `backend.baseUrl`. */
export const defaultBackendUrl = 'http://localhost:7007';

export const tokenUsage = `Usage:
  yarn plinth token create <name> [--plugin <id>]... [--permission <name>]... [--read-only] [--expires <30d|12h|ISO time>]
  yarn plinth token list
  yarn plinth token revoke <name>
Every command takes --url <backend URL> (or PLINTH_URL; default ${defaultBackendUrl}),
--token <credential> (or PLINTH_TOKEN, which keeps it out of your shell history) and --json.`;

const actions = ['create', 'list', 'revoke'];

/**
 * Reads `yarn plinth token <action> ...`: the action, its name argument,
 * the scopes and expiry of `create`, and where and as whom to connect.
 *
 * @param env - read for `PLINTH_URL` and `PLINTH_TOKEN`.
 * @throws TokenCommandError `TOKEN_INVALID_ARGUMENTS` naming what is
 *   wrong, or `TOKEN_MISSING_CREDENTIALS` when no credential is given.
 */
export function parseTokenArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): TokenArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        plugin: { type: 'string', multiple: true },
        permission: { type: 'string', multiple: true },
        'read-only': { type: 'boolean' },
        expires: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw invalid(`${(error as Error).message}.`);
  }
  const { values, positionals } = parsed;
  const [action, name, ...extra] = positionals;
  if (!actions.includes(action)) {
    throw invalid(
      action === undefined
        ? 'Missing action: say create, list or revoke.'
        : `Unknown action '${action}': the actions are create, list and revoke.`,
    );
  }
  const takesName = action !== 'list';
  if (extra.length > 0 || (!takesName && name !== undefined)) {
    throw invalid(`Unexpected argument '${extra[0] ?? name}' for '${action}'.`);
  }
  if (takesName && name === undefined) {
    throw invalid(
      `Missing token name: write yarn plinth token ${action} <name>.`,
    );
  }
  if (action !== 'create') {
    const createOnly = ['plugin', 'permission', 'read-only', 'expires'].filter(
      flag => values[flag as keyof typeof values] !== undefined,
    );
    if (createOnly.length > 0) {
      throw invalid(`Flag '--${createOnly[0]}' only applies to 'create'.`);
    }
  }
  const connection = readConnection(values, env);
  if (action === 'list') {
    return { action, connection };
  }
  if (action === 'revoke') {
    return { action, name, connection };
  }
  return {
    action: 'create',
    name,
    connection,
    scopes: {
      ...(values.plugin && { pluginIds: values.plugin }),
      ...(values.permission && { permissionNames: values.permission }),
      ...(values['read-only'] && { readOnly: true }),
    },
    ...(values.expires !== undefined && {
      expiresAt: readExpiry(values.expires),
    }),
  };
}

function readConnection(
  values: { url?: string; token?: string; json?: boolean },
  env: NodeJS.ProcessEnv,
): TokenConnection {
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
    throw new TokenCommandError(
      'TOKEN_MISSING_CREDENTIALS',
      `No credential to call the backend with: set PLINTH_TOKEN (or pass --token) to a token allowed to manage API tokens, such as a static token from 'backend.auth.externalAccess' or, locally, the development token.`,
    );
  }
  return { url, token, json: values.json ?? false };
}

const hour = 3_600_000;

/** `30d`, `12h` or an ISO 8601 time, as an ISO 8601 time. */
function readExpiry(value: string): string {
  const relative = /^(\d+)([dh])$/.exec(value);
  if (relative) {
    const hours = Number(relative[1]) * (relative[2] === 'd' ? 24 : 1);
    return new Date(Date.now() + hours * hour).toISOString();
  }
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) {
    throw invalid(
      `Invalid --expires '${value}': give days such as 30d, hours such as 12h, or an ISO 8601 time such as 2026-03-01T00:00:00Z.`,
    );
  }
  return new Date(time).toISOString();
}

function invalid(problem: string): TokenCommandError {
  return new TokenCommandError(
    'TOKEN_INVALID_ARGUMENTS',
    `${problem}\n${tokenUsage}`,
  );
}
