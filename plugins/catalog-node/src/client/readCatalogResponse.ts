import { ResponseError } from '@plinth/errors';

/**
 * How to read a catalog response: `json` for its body, `optional` for its
 * body or `undefined` on 404 (lookups by id or ref, as catalog-client
 * does), `none` for routes that answer without a body.
 */
export type CatalogResponseKind = 'json' | 'optional' | 'none';

/**
 * Reads a catalog response as `kind` says.
 * @throws {@link @plinth/errors#ResponseError} for any status it does not accept.
 */
export async function readCatalogResponse<T>(
  response: Response,
  kind: 'json',
): Promise<T>;
export async function readCatalogResponse<T>(
  response: Response,
  kind: 'optional',
): Promise<T | undefined>;
export async function readCatalogResponse(
  response: Response,
  kind: 'none',
): Promise<void>;
export async function readCatalogResponse<T>(
  response: Response,
  kind: CatalogResponseKind,
): Promise<T | undefined> {
  if (kind === 'optional' && response.status === 404) {
    return undefined;
  }
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return kind === 'none' ? undefined : ((await response.json()) as T);
}
