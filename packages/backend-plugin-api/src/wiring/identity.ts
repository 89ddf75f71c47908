import path from 'node:path';
import { describeValue, InputError } from '@plinth/errors';

const featureIdPattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/i;
const refIdPattern =
  /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*)*$/i;

/**
 * What an id names, as it appears in error messages.
 *
 * @internal
 */
export type IdKind =
  'plugin id' | 'module id' | 'service ref id' | 'extension point id';

/** Service ref and extension point ids may join words with dots. */
function isDotted(kind: IdKind): boolean {
  return kind === 'service ref id' || kind === 'extension point id';
}

/**
 * Whether `id` is valid for `kind` by the rule the engine uses everywhere,
 * so sibling packages (auth, discovery) accept exactly the ids the engine
 * accepts.
 *
 * @example
 * ```ts
 * isValidId('plugin id', 'my-plugin'); // true
 * isValidId('plugin id', 'a--b'); // false
 * ```
 * @internal
 */
export function isValidId(kind: IdKind, id: unknown): boolean {
  return (
    typeof id === 'string' &&
    (isDotted(kind) ? refIdPattern : featureIdPattern).test(id)
  );
}

/**
 * How a valid id of `kind` is written, for error messages that say how to
 * fix an invalid one.
 *
 * @internal
 */
export function describeIdRule(kind: IdKind): string {
  return isDotted(kind)
    ? "dot-separated words of letters, digits and single dashes, each starting with a letter, such as 'example.processing'"
    : "letters, digits and single dashes, starting with a letter, such as 'my-plugin'";
}

/**
 * Checks an id against the rule the engine uses everywhere: letters and
 * digits in dash-separated words, starting with a letter. Service ref and
 * extension point ids may join such words with dots (`core.rootConfig`,
 * `catalog.processing`).
 *
 * @throws {@link @plinth/errors#InputError} naming the creator, the id and the rule.
 */
export function assertValidId(
  creator: string,
  kind: IdKind,
  id: unknown,
): asserts id is string {
  if (typeof id !== 'string') {
    throw new InputError(
      `${creator}() needs a ${kind} string, got ${describeValue(id)}.`,
    );
  }
  if (!isValidId(kind, id)) {
    throw new InputError(
      `${creator}() got an invalid ${kind} '${id}': use ${describeIdRule(kind)}.`,
    );
  }
}

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
  return frame === undefined ? undefined : describeFrame(frame);
}

/**
 * Names the first place on the current stack whose frame `skip` does not
 * match, outside Node.js, such as the user's call of
 * `backend.add()` however many wrappers of `add` (`createBackend()`,
 * `startTestBackend()`) lie between.
 *
 * @internal
 */
export function describeCallSiteOutside(
  skip: (frame: string) => boolean,
): string | undefined {
  return findFirstSite(new Error().stack?.split('\n').slice(2) ?? [], skip);
}

/**
 * Names the place in the project's own code where `error` was thrown: the
 * first frame of its stack outside Node.js and `node_modules`, such as
 * `plugins/todo/src/plugin.ts:5:3`, for errors thrown while a feature's
 * module is evaluated.
 *
 * @internal
 */
export function describeThrowSite(error: unknown): string | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  return typeof stack === 'string'
    ? findFirstSite(stack.split('\n'), frame =>
        frame.includes('/node_modules/'),
      )
    : undefined;
}

/** The site of the first stack frame that is not skipped nor Node.js's own. */
function findFirstSite(
  lines: readonly string[],
  skip: (frame: string) => boolean,
): string | undefined {
  for (const line of lines) {
    if (!/^\s+at /.test(line) || skip(line)) {
      continue;
    }
    const site = describeFrame(line);
    if (site && !site.startsWith('node:')) {
      return site;
    }
  }
  return undefined;
}

/** `path:line:column` of a stack frame, relative to the working directory. */
function describeFrame(frame: string): string | undefined {
  const match = frame.match(/\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/);
  if (!match) {
    return undefined;
  }
  const file = match[1].replace(/^file:\/\//, '');
  if (!path.isAbsolute(file)) {
    return `${file}:${match[2]}:${match[3]}`;
  }
  const relative = path.relative(process.cwd(), file);
  const shown = relative.startsWith('..') ? file : relative;
  return `${shown.split(path.sep).join('/')}:${match[2]}:${match[3]}`;
}

/**
 * Adds the `T` property that refs use to carry their type. It throws when
 * read, to catch code that mistakes it for a value, and is not enumerable,
 * so that logging, inspecting or comparing a ref never trips it.
 */
export function withTypeCarrier<TValue extends object, TCarried>(
  value: TValue,
  message: string,
): TValue & { readonly T: TCarried } {
  return Object.defineProperty(value, 'T', {
    enumerable: false,
    get() {
      throw new Error(message);
    },
  }) as TValue & { readonly T: TCarried };
}
