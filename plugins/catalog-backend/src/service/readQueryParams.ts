import { InputError } from '@plinth/errors';
import type { Request } from 'express';

/**
 * The request's query parameters, read once (express parses them again on
 * each access), after refusing any the route does not know: a typo such
 * as `filters=` fails loudly instead of being ignored.
 *
 * @throws InputError naming the parameter, the route and the known ones.
 * @internal
 */
export function readQueryParams(
  req: Request,
  known: ReadonlySet<string>,
  route: string,
): Record<string, unknown> {
  const query: Record<string, unknown> = req.query;
  for (const name in query) {
    if (!known.has(name)) {
      const list = [...known].map(k => `'${k}'`).join(', ');
      throw new InputError(
        `Unknown query parameter '${name}' for ${route}; ${list ? `the known ones are ${list}` : 'it takes none'}.`,
      );
    }
  }
  return query;
}
