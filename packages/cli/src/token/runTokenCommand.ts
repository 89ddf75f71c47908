import { TokenCommandError } from '../errors';
import {
  parseTokenArgs,
  type TokenArgs,
  type TokenConnection,
} from './parseTokenArgs';

/**
 * Options for {@link runTokenCommand}.
 *
 * @public
 */
export interface RunTokenCommandOptions {
  /** The arguments after `token`, such as `['create', 'ci', '--read-only']`. */
  argv: readonly string[];
  /** Read for `PLINTH_URL` and `PLINTH_TOKEN`. */
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
}

/** An API token as the admin API answers it: never with its secret. */
interface ApiToken {
  name: string;
  scopes: {
    pluginIds?: string[];
    permissionNames?: string[];
    readOnly?: boolean;
  };
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
  revokedBy?: string;
  lastUsedAt?: string;
}

/** Where the permission plugin serves the admin API. */
const adminPath = '/api/permission/tokens';

/**
 * `yarn plinth token create|list|revoke`: calls the admin API of the
 * permission plugin with the given credential and prints the answer,
 * as text or, with `--json`, as the backend's JSON. The secret of a new
 * token is printed once, here; the backend never shows it again.
 *
 * @throws TokenCommandError for bad flags, a missing credential, a backend
 *   that does not answer, or one that refuses the request.
 * @public
 */
export async function runTokenCommand(
  options: RunTokenCommandOptions,
): Promise<void> {
  const args = parseTokenArgs(options.argv, options.env);
  const print = (line = '') => options.stdout.write(`${line}\n`);
  const answer = await callAdminApi(args);
  if (args.connection.json) {
    print(JSON.stringify(answer, null, 2));
    return;
  }
  switch (args.action) {
    case 'create': {
      const { token, secret } = answer as { token: ApiToken; secret: string };
      print(
        `Created API token '${token.name}' (${describeScopes(token)}), expiring at ${token.expiresAt}.`,
      );
      print(
        'Its secret follows. It is shown only now: store it, for example as a CI secret, and send it as "Authorization: Bearer <secret>".',
      );
      print(secret);
      return;
    }
    case 'list': {
      const { items } = answer as { items: ApiToken[] };
      if (items.length === 0) {
        print(
          'No API tokens; create one with yarn plinth token create <name>.',
        );
      }
      for (const token of items) {
        print(
          `${token.name}  ${describeStatus(token)}  ${describeScopes(token)}  created by ${token.createdBy}  last used ${token.lastUsedAt ?? 'never'}`,
        );
      }
      return;
    }
    case 'revoke': {
      const token = answer as ApiToken;
      print(
        `Revoked API token '${token.name}' at ${token.revokedAt}; replicas that cached it refuse it within seconds.`,
      );
      return;
    }
  }
}

async function callAdminApi(args: TokenArgs): Promise<unknown> {
  const { connection } = args;
  switch (args.action) {
    case 'create':
      return send(
        connection,
        'POST',
        adminPath,
        `create API token '${args.name}'`,
        {
          name: args.name,
          scopes: args.scopes,
          ...(args.expiresAt && { expiresAt: args.expiresAt }),
        },
      );
    case 'list':
      return send(connection, 'GET', adminPath, 'list API tokens');
    case 'revoke':
      return send(
        connection,
        'DELETE',
        `${adminPath}/${encodeURIComponent(args.name)}`,
        `revoke API token '${args.name}'`,
      );
  }
}

async function send(
  connection: TokenConnection,
  method: string,
  path: string,
  what: string,
  body?: object,
): Promise<unknown> {
  const url = `${connection.url}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${connection.token}`,
        ...(body && { 'content-type': 'application/json' }),
      },
      body: body && JSON.stringify(body),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } })
      .cause;
    throw new TokenCommandError(
      'TOKEN_BACKEND_UNREACHABLE',
      `Could not ${what}: no backend answered at '${connection.url}' (${cause?.code ?? cause?.message ?? (error as Error).message}). Start it with yarn start, or pass its URL with --url or PLINTH_URL.`,
      error,
    );
  }
  const text = await response.text();
  const parsed = parseJson(text);
  if (response.ok && parsed !== undefined) {
    return parsed;
  }
  const errorMessage = (parsed as { error?: { message?: unknown } } | undefined)
    ?.error?.message;
  const message =
    typeof errorMessage === 'string' ? errorMessage : text.slice(0, 200);
  const hint =
    response.status === 404 && method !== 'DELETE'
      ? ` Check that the backend at '${connection.url}' has the permission plugin, which serves ${adminPath}.`
      : '';
  throw new TokenCommandError(
    'TOKEN_REQUEST_REFUSED',
    `Could not ${what}: the backend answered ${response.status}: ${message}${hint}`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeScopes({ scopes }: ApiToken): string {
  const parts = [
    scopes.pluginIds ? `plugins ${scopes.pluginIds.join(', ')}` : 'all plugins',
  ];
  if (scopes.permissionNames) {
    parts.push(`permissions ${scopes.permissionNames.join(', ')}`);
  }
  if (scopes.readOnly) {
    parts.push('read-only');
  }
  return parts.join('; ');
}

function describeStatus(token: ApiToken): string {
  if (token.revokedAt) {
    return `revoked at ${token.revokedAt} by ${token.revokedBy}`;
  }
  if (Date.parse(token.expiresAt) <= Date.now()) {
    return `expired at ${token.expiresAt}`;
  }
  return `active until ${token.expiresAt}`;
}
