import type { Entity } from '@backstage/catalog-model';
import { eventually } from './eventually';

/** A response as a test compares it: the status and the parsed body. */
export interface ReadResponse {
  status: number;
  body: unknown;
}

/**
 * The status and body of a response, the body parsed as JSON when it is,
 * so that a failed assertion shows what the server said.
 */
export async function readResponse(response: Response): Promise<ReadResponse> {
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

/**
 * Sends a request and reads its response; gives up after 20 seconds, so a
 * server that never answers (a proxy waiting for a body the backend has
 * already read, say) fails the test with a message instead of hanging it.
 */
export async function send(
  url: string,
  init: RequestInit = {},
): Promise<ReadResponse> {
  try {
    return await readResponse(
      await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) }),
    );
  } catch (error) {
    throw new Error(
      `${init.method ?? 'GET'} ${url} got no response: ${String(error)}`,
    );
  }
}

/** Sends `body` as JSON with `method` (POST by default). */
export function sendJson(
  url: string,
  body: unknown,
  init: RequestInit = {},
): Promise<ReadResponse> {
  return send(url, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(body),
  });
}

/**
 * Waits until the catalog at `origin` serves the entity `ref`
 * (`kind:namespace/name`) and returns it. On timeout the error lists the
 * processing errors the catalog reports on any entity, which usually say
 * why the entity never appeared.
 */
export async function waitForEntity(
  origin: string,
  ref: string,
  options: {
    headers?: Record<string, string>;
    /** Log lines to quote on timeout, such as a Plinth mock logger's. */
    logs?: readonly { level: string; message: string }[];
  } = {},
): Promise<Entity> {
  const { headers = {}, logs = [] } = options;
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const read = () =>
    send(
      `${origin}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      {
        headers,
      },
    );
  try {
    const { body } = await eventually(
      read,
      r => r.status === 200,
      `the catalog serves ${ref}`,
    );
    return body as Entity;
  } catch (error) {
    const errors = await readCatalogErrors(origin, headers);
    const warnings = logs
      .filter(line => line.level === 'warn' || line.level === 'error')
      .map(line => `${line.level}: ${line.message}`);
    throw new Error(
      [
        (error as Error).message,
        `Processing errors in the catalog: ${JSON.stringify(errors, null, 2)}`,
        `Warnings and errors logged: ${JSON.stringify(warnings, null, 2)}`,
      ].join('\n'),
    );
  }
}

/** Every processing error the catalog shows in an entity's `status.items`. */
export async function readCatalogErrors(
  origin: string,
  headers: Record<string, string> = {},
): Promise<Array<{ entity: string; error: unknown }> | ReadResponse> {
  const response = await send(`${origin}/api/catalog/entities`, { headers });
  if (response.status !== 200 || !Array.isArray(response.body)) {
    return response;
  }
  return (response.body as Entity[]).flatMap(entity =>
    (
      (entity as { status?: { items?: Array<{ error?: unknown }> } }).status
        ?.items ?? []
    ).map(item => ({
      entity: `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`,
      error: item.error,
    })),
  );
}
