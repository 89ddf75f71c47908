/**
 * A JSON primitive.
 *
 * @public
 */
export type JsonPrimitive = string | number | boolean | null;

/**
 * A JSON object.
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
