/**
 * Typed errors shared by every Plinth package. Each error's `name` stands
 * for one HTTP status, for the backend's error handler.
 *
 * @packageDocumentation
 */
export { CustomErrorBase } from './errors/CustomErrorBase';
export { InputError } from './errors/InputError';
export { AuthenticationError } from './errors/AuthenticationError';
export { NotAllowedError } from './errors/NotAllowedError';
export { NotFoundError } from './errors/NotFoundError';
export { ConflictError } from './errors/ConflictError';
export { NotModifiedError } from './errors/NotModifiedError';
export { ServiceUnavailableError } from './errors/ServiceUnavailableError';
export { ForwardedError } from './errors/ForwardedError';
export { ResponseError, type ErrorResponseBody } from './errors/ResponseError';
export {
  serializeError,
  type SerializedError,
  type SerializeErrorOptions,
} from './errors/serializeError';
export { isError } from './errors/isError';
export { toError } from './errors/toError';
export { describeErrorChain } from './errors/describeErrorChain';
export { redactUrl } from './errors/redactUrl';
