import type { JsonObject } from '@plinth/errors';

/**
 * Builders of the JSON schemas of spec fields that several kinds share, so
 * that every kind describes an owner or a list of refs the same way.
 */
export const specFieldSchemas = {
  /** A non-empty string. */
  text(description: string): JsonObject {
    return { type: 'string', minLength: 1, description };
  },
  /** An entity ref, `[<kind>:][<namespace>/]<name>`. */
  entityRef(description: string): JsonObject {
    return {
      type: 'string',
      minLength: 1,
      description: `${description} An entity ref.`,
    };
  },
  /** A list of entity refs. */
  entityRefList(description: string): JsonObject {
    return {
      type: 'array',
      description: `${description} Entity refs.`,
      items: { type: 'string', minLength: 1 },
    };
  },
  /** Display details of a user or group. */
  profile(description: string): JsonObject {
    return {
      type: 'object',
      description,
      properties: {
        displayName: specFieldSchemas.text('A name to show people.'),
        email: specFieldSchemas.text('An address to reach them by email.'),
        picture: specFieldSchemas.text('The URL of an image of them.'),
      },
    };
  },
};
