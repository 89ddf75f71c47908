import path from 'node:path';

/**
 * Names the place in user code that called a creator, such as
 * `plugins/todo/src/plugin.ts:12:27`, so that errors about duplicate or
 * anonymous features can point at the file to fix.
 *
 * @param depth - how many frames above the caller of this function to skip:
 *   0 is the function that calls `describeCallSite`, 1 its caller.
 * @internal
 */
export function describeCallSite(depth = 1): string | undefined {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  const frame = stack[depth + 1];
  const match = frame?.match(/\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/);
  if (!match) {
    return undefined;
  }
  const file = match[1].replace(/^file:\/\//, '');
  const relative = path.relative(process.cwd(), file);
  const shown = relative.startsWith('..') ? file : relative;
  return `${shown.split(path.sep).join('/')}:${match[2]}:${match[3]}`;
}
