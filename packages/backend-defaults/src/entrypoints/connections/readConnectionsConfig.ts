import type { Config, LoggerService } from '@plinth/backend-plugin-api';
import { describeValue, quoteList } from '@plinth/errors';
import { z } from 'zod';
import { ConfigError } from '../../errors';
import {
  type AuthEntry,
  connectionTypeSpecs,
  type ConnectionTypeSpec,
  identityOf,
} from './connectionTypes';
import {
  readLegacyConnections,
  type RawConnection,
} from './legacyIntegrations';

/**
 * A connection read from config and validated: its type's fields, a title,
 * the plugins it is limited to, and its auth entries with titles.
 */
export type ConfiguredConnection = {
  type: string;
  title: string;
  match?: { plugins: string[] };
  auth: Array<AuthEntry & { title: string }>;
  [field: string]: unknown;
};

const framework = z.object({
  title: z.string().optional(),
  match: z.strictObject({ plugins: z.array(z.string()) }).optional(),
});

/** Renders a zod path as a config key suffix: `.auth[0].token`. */
function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('');
}

function zodProblems(key: string, where: string, error: z.ZodError): string[] {
  return error.issues.map(
    issue =>
      `Invalid config at '${key}${pathOf(issue.path)}' (${where}): ${issue.message}.`,
  );
}

/** Validates one connection; returns it, or the problems found. */
function validate(raw: RawConnection): ConfiguredConnection | string[] {
  const { key, value } = raw;
  const from = raw.legacy ? ', converted from legacy integrations config' : '';
  if (raw.problem) {
    return [`Invalid config at '${key}': ${raw.problem}.`];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      `Invalid config at '${key}': expected a connection object with type and auth, got ${describeValue(value)}.`,
    ];
  }
  const spec = connectionTypeSpecs.get(value.type as string);
  if (!spec) {
    return [
      `Invalid config at '${key}.type': ${describeValue(value.type)} is not a connection type. Use one of ${quoteList([...connectionTypeSpecs.keys()])}.`,
    ];
  }
  const where = `connection type '${spec.type}'${from}`;
  const { type: _type, auth: rawAuth, title, match, ...fields } = value;
  const problems: string[] = [];
  const head = framework.safeParse({ title, match });
  if (!head.success) problems.push(...zodProblems(key, where, head.error));
  const config = spec.config.safeParse(fields);
  if (!config.success) problems.push(...zodProblems(key, where, config.error));
  if (!Array.isArray(rawAuth) || rawAuth.length === 0) {
    problems.push(
      `Invalid config at '${key}.auth' (${where}): expected a list of at least one auth entry, got ${Array.isArray(rawAuth) ? 'an empty list' : describeValue(rawAuth)}. Use one of the methods ${quoteList(spec.authMethods.map(m => m.method))}.`,
    );
    return problems;
  }
  const auth = rawAuth.flatMap((entry: unknown, index): AuthEntry[] => {
    const entryKey = `${key}.auth[${index}]`;
    const {
      method,
      title: authTitle,
      match: authMatch,
      ...rest
    } = (entry ?? {}) as Record<string, unknown>;
    const authMethod = spec.authMethods.find(m => m.method === method);
    if (!authMethod) {
      problems.push(
        `Invalid config at '${entryKey}.method' (${where}): ${describeValue(method)} is not an auth method of this type. Use one of ${quoteList(spec.authMethods.map(m => m.method))}.`,
      );
      return [];
    }
    const authHead = framework.safeParse({
      title: authTitle,
      match: authMatch,
    });
    if (!authHead.success)
      problems.push(...zodProblems(entryKey, where, authHead.error));
    const parsed = authMethod.config.safeParse(rest);
    if (!parsed.success) {
      problems.push(...zodProblems(entryKey, where, parsed.error));
      return [];
    }
    return [
      {
        ...parsed.data,
        method: authMethod.method,
        title: authTitle as string | undefined,
        match: authMatch as AuthEntry['match'],
      },
    ];
  });
  if (problems.length > 0 || !config.success) {
    return problems;
  }
  for (const problem of spec.validate?.(config.data, auth) ?? []) {
    problems.push(`Invalid config at '${key}.auth' (${where}): ${problem}.`);
  }
  if (problems.length > 0) {
    return problems;
  }
  return {
    ...config.data,
    type: spec.type,
    title: title as string,
    match: head.data?.match,
    auth,
  } as ConfiguredConnection;
}

function identityKey(
  spec: ConnectionTypeSpec,
  connection: ConfiguredConnection,
) {
  if (spec.cardinality === 'singleton') return spec.type;
  const identity = identityOf(spec, connection);
  return identity === undefined ? undefined : `${spec.type} ${identity}`;
}

/**
 * Reads the connections of `connections`, `integrations` and `aws`, as
 * Backstage does: explicit connections of a type replace every legacy one
 * of that type; legacy duplicates keep the first; titles default to the
 * type's title (with the host when a type has several connections).
 *
 * @throws {@link ConfigError} with code `CONFIG_CONNECTIONS_INVALID`,
 * naming every problem, when any connection is invalid.
 */
export function readConnectionsConfig(
  config: Config,
  logger?: LoggerService,
): ConfiguredConnection[] {
  const raw: RawConnection[] = [];
  const explicit = config.getOptional('connections');
  const problems: string[] = [];
  if (explicit !== undefined && !Array.isArray(explicit)) {
    problems.push(
      `Invalid config at 'connections': expected a list of connections, got ${describeValue(explicit)}.`,
    );
  } else {
    (explicit ?? []).forEach((value, index) =>
      raw.push({
        key: `connections[${index}]`,
        legacy: false,
        value: value as Record<string, unknown>,
      }),
    );
  }
  raw.push(...readLegacyConnections(config));

  const valid: Array<{ raw: RawConnection; connection: ConfiguredConnection }> =
    [];
  for (const entry of raw) {
    const result = validate(entry);
    if (Array.isArray(result)) problems.push(...result);
    else valid.push({ raw: entry, connection: result });
  }

  const explicitTypes = new Set(
    valid.filter(v => !v.raw.legacy).map(v => v.connection.type),
  );
  const seen = new Map<string, string>();
  const connections: ConfiguredConnection[] = [];
  const warned = new Set<string>();
  for (const { raw: entry, connection } of valid) {
    const spec = connectionTypeSpecs.get(connection.type)!;
    if (entry.legacy && explicitTypes.has(spec.type)) {
      if (!warned.has(spec.type)) {
        warned.add(spec.type);
        logger?.warn(
          `Connection type '${spec.type}' is configured under connections, so the legacy integrations of that type are ignored.`,
        );
      }
      continue;
    }
    const identity = identityKey(spec, connection);
    const earlier = identity === undefined ? undefined : seen.get(identity);
    if (earlier !== undefined) {
      if (entry.legacy) {
        logger?.warn(
          `Config at '${entry.key}' gives the same ${spec.type} connection as '${earlier}'; the first entry is used, as before connections existed.`,
        );
        continue;
      }
      problems.push(
        spec.cardinality === 'singleton'
          ? `Invalid config at '${entry.key}': connection type '${spec.type}' allows one connection, and '${earlier}' is one already. Merge them.`
          : `Invalid config at '${entry.key}': '${earlier}' already configures the ${spec.type} connection for host '${identityOf(spec, connection)}'. Merge them.`,
      );
      continue;
    }
    if (identity !== undefined) seen.set(identity, entry.key);
    connections.push(connection);
  }
  if (problems.length > 0) {
    const error = new ConfigError(
      'CONFIG_CONNECTIONS_INVALID',
      `Connections config is invalid; fix ${problems.length === 1 ? 'this problem' : `these ${problems.length} problems`}:\n${problems.map(p => `  - ${p}`).join('\n')}`,
      { key: 'connections' },
    );
    // A config mistake, not a bug: the message is all there is to read.
    error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
  assignTitles(connections);
  return connections;
}

function assignTitles(connections: ConfiguredConnection[]): void {
  const perType = new Map<string, number>();
  for (const c of connections)
    perType.set(c.type, (perType.get(c.type) ?? 0) + 1);
  for (const c of connections) {
    const spec = connectionTypeSpecs.get(c.type)!;
    const identity = identityOf(spec, c);
    c.title ??=
      perType.get(c.type)! > 1 && identity
        ? `${spec.title} (${identity})`
        : spec.title;
    for (const auth of c.auth) {
      auth.title ??= spec.authMethods.find(
        m => m.method === auth.method,
      )!.title;
    }
  }
}
