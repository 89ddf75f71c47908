/**
 * Base class for every typed Plinth error.
 *
 * @remarks
 * Subclasses declare `name` explicitly (`readonly name = 'XError' as const`)
 * because `constructor.name` does not survive minification. The cause is
 * kept as the standard `cause` property instead of being pasted into the
 * message, so a wrapper adds its context once and tools can walk the chain.
 *
 * @public
 */
export abstract class CustomErrorBase extends Error {
  abstract override readonly name: string;

  constructor(message?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
