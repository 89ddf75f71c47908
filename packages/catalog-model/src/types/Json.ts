/**
 * A JSON primitive.
 *
 * @public
 */
export type JsonPrimitive = string | number | boolean | null;

/**
 * A JSON object.
 *
 * @remarks
 * Structurally the same as the `JsonObject` of `@plinth/backend-plugin-api`,
 * so values pass between the two; it is declared here because the model
 * package may depend on `@plinth/errors` only.
 *
 * @public
 */
export type JsonObject = { [key in string]?: JsonValue };

/**
 * A JSON array.
 *
 * @public
 */
export type JsonArray = JsonValue[];

/**
 * Any value that survives a round trip through `JSON.stringify`.
 *
 * @public
 */
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;
