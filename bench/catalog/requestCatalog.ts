/** One JSON request to the catalog of a benchmark backend. */
export interface CatalogReply<T> {
  status: number;
  /** The parsed body; `undefined` when it is not JSON. */
  body: T | undefined;
}

/**
 * Calls `<origin>/api/catalog<path>` with the static token; resolves with
 * the status and body whatever the status, and rejects only when nothing
 * answers (the backend is not listening yet, or is gone).
 */
export async function requestCatalog<T>(
  origin: string,
  token: string,
  path: string,
  init?: { method: 'POST'; body: unknown },
): Promise<CatalogReply<T>> {
  const response = await fetch(`${origin}/api/catalog${path}`, {
    method: init?.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init ? { 'content-type': 'application/json' } : {}),
    },
    body: init ? JSON.stringify(init.body) : undefined,
  });
  const text = await response.text();
  let body: T | undefined;
  try {
    body = JSON.parse(text) as T;
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}
