import { isError } from './isError';
import { stringifyThrown } from './stringifyThrown';

/**
 * Renders an error and its chain of causes as one readable line per error,
 * without stack traces, for messages shown to people.
 *
 * @example
 * ```ts
 * describeErrorChain(new ForwardedError('Could not start', new InputError('Bad id')));
 * // "InputError: Could not start\n  caused by InputError: Bad id"
 * ```
 *
 * @public
 */
export function describeErrorChain(error: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const prefix = lines.length === 0 ? '' : '  caused by ';
    if (isError(current)) {
      lines.push(`${prefix}${current.name}: ${current.message}`);
      current = (current as { cause?: unknown }).cause;
    } else {
      lines.push(`${prefix}${stringifyThrown(current)}`);
      current = undefined;
    }
  }
  return lines.join('\n');
}
