import { describeErrorChain, isError } from '@plinth/errors';

/**
 * Renders errors as an indented list: each entry's message, then its causes
 * with their names, one per line.
 */
export function formatErrorList(errors: readonly unknown[]): string {
  return errors
    .map(error => {
      const head = isError(error) ? error.message : String(error);
      const cause = isError(error) ? error.cause : undefined;
      const causes =
        cause === undefined
          ? ''
          : `\n    caused by ${describeErrorChain(cause).replace(/\n {2}/g, '\n    ')}`;
      return `  - ${head}${causes}`;
    })
    .join('\n');
}
