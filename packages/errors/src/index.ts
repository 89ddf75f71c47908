/**
 * Typed errors shared by every Plinth package, each standing for one HTTP
 * status, and the pieces every message needs: quoting, describing values,
 * redacting URLs, walking cause chains, wording JSON schema errors, JSON
 * types.
 *
 * @packageDocumentation
 */
export {
  CustomErrorBase,
  InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
  NotModifiedError,
  GoneError,
  ServiceUnavailableError,
  ForwardedError,
  httpStatusOf,
} from './httpErrors';
export { ResponseError, type ErrorResponseBody } from './ResponseError';
export {
  isError,
  toError,
  describeErrorChain,
  serializeError,
  type SerializedError,
  type SerializeErrorOptions,
} from './errorChain';
export {
  quoteList,
  describeValue,
  redactUrl,
  skipIndentation,
  suggestClosestName,
} from './messages';
export {
  describeSchemaRule,
  formatFieldPath,
  parseInstancePath,
  type FieldPath,
  type SchemaErrorObject,
  type SchemaRulePhrasing,
} from './schemaErrors';
export type { JsonPrimitive, JsonObject, JsonArray, JsonValue } from './json';
