import { isError } from './errorChain';

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

/**
 * The request or the input a user gave is malformed or invalid; HTTP 400.
 *
 * @public
 */
export class InputError extends CustomErrorBase {
  readonly name = 'InputError' as const;
}

/**
 * The caller could not be authenticated; HTTP 401.
 *
 * @public
 */
export class AuthenticationError extends CustomErrorBase {
  readonly name = 'AuthenticationError' as const;
}

/**
 * The caller is authenticated but not permitted to do this; HTTP 403.
 *
 * @public
 */
export class NotAllowedError extends CustomErrorBase {
  readonly name = 'NotAllowedError' as const;
}

/**
 * The requested resource does not exist; HTTP 404.
 *
 * @public
 */
export class NotFoundError extends CustomErrorBase {
  readonly name = 'NotFoundError' as const;
}

/**
 * The request conflicts with the current state of a resource; HTTP 409.
 *
 * @public
 */
export class ConflictError extends CustomErrorBase {
  readonly name = 'ConflictError' as const;
}

/**
 * The resource has not changed since the version the caller holds; HTTP 304.
 *
 * @public
 */
export class NotModifiedError extends CustomErrorBase {
  readonly name = 'NotModifiedError' as const;
}

/**
 * What the caller asked for existed once and is gone for good, such as a
 * feed position older than what is kept; HTTP 410.
 *
 * @public
 */
export class GoneError extends CustomErrorBase {
  readonly name = 'GoneError' as const;
}

/**
 * A dependency or the service itself cannot answer right now; HTTP 503.
 *
 * @public
 */
export class ServiceUnavailableError extends CustomErrorBase {
  readonly name = 'ServiceUnavailableError' as const;
}

/**
 * Adds context to an error caught from elsewhere while keeping its type.
 *
 * @remarks
 * The `name` is taken from the cause, so an `InputError` forwarded through
 * another layer is still answered with a 400, and the message gains the
 * context of the layer that forwarded it.
 *
 * @example
 * ```ts
 * throw new ForwardedError(`Could not read location '${target}'`, error);
 * ```
 *
 * @public
 */
export class ForwardedError extends CustomErrorBase {
  readonly name: string;

  constructor(message: string, cause: unknown) {
    super(message, cause);
    this.name = isError(cause) ? cause.name : 'Error';
  }
}

/** The statuses of the typed errors above, by name. */
const statusByName: Readonly<Record<string, number>> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotModifiedError: 304,
  GoneError: 410,
  ServiceUnavailableError: 503,
};

/** The statuses of subclasses of the typed errors, which carry names of their own. */
const statusByBaseClass: ReadonlyArray<
  readonly [abstract new (message?: string) => Error, number]
> = [
  [InputError, 400],
  [AuthenticationError, 401],
  [NotAllowedError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [NotModifiedError, 304],
  [GoneError, 410],
  [ServiceUnavailableError, 503],
];

/**
 * The HTTP status a typed error of this package stands for: by its `name`
 * (which a {@link ForwardedError} takes from its cause, and which survives
 * serialization), else by its base class, for subclasses that carry a
 * name of their own (such as the catalog model's `EntityValidationError`,
 * an `InputError`); `undefined` for any other error. Its cause chain is
 * not walked.
 *
 * @example
 * ```ts
 * httpStatusOf(new NotFoundError("No entity 'component:default/x'")); // 404
 * ```
 * @public
 */
export function httpStatusOf(error: Error): number | undefined {
  const byName = statusByName[error.name];
  if (byName !== undefined) {
    return byName;
  }
  for (const [baseClass, status] of statusByBaseClass) {
    if (error instanceof baseClass) {
      return status;
    }
  }
  return undefined;
}
