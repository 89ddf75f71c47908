import type { JsonObject } from '@plinth/errors';
import type { EntityKindSchema } from '../validation/compileKindSchemas';

const nonEmptyString: JsonObject = { type: 'string', minLength: 1 };
const stringMap: JsonObject = {
  type: 'object',
  additionalProperties: { type: 'string' },
};

/**
 * A JSON schema (draft-07) of the fields every entity shares, which each
 * built-in kind schema includes.
 *
 * @remarks
 * It checks types only; the format rules of names, labels and tags belong
 * to `EntityValidator.validateEnvelope`, where they can be replaced.
 * Entity kind schemas may also refer to it as `{ "$ref": "Entity" }`.
 *
 * @public
 */
export const entityEnvelopeSchema: JsonObject = {
  type: 'object',
  description: 'The fields every entity shares, whatever its kind.',
  required: ['apiVersion', 'kind', 'metadata'],
  additionalProperties: false,
  properties: {
    apiVersion: nonEmptyString,
    kind: nonEmptyString,
    metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        uid: nonEmptyString,
        etag: nonEmptyString,
        name: nonEmptyString,
        namespace: nonEmptyString,
        title: nonEmptyString,
        description: { type: 'string' },
        labels: stringMap,
        annotations: stringMap,
        tags: { type: 'array', items: nonEmptyString },
        links: {
          type: 'array',
          items: {
            type: 'object',
            required: ['url'],
            properties: {
              url: nonEmptyString,
              title: nonEmptyString,
              icon: nonEmptyString,
              type: nonEmptyString,
            },
          },
        },
      },
    },
    spec: { type: 'object' },
    relations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'targetRef'],
        properties: { type: nonEmptyString, targetRef: nonEmptyString },
      },
    },
    status: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'level', 'message'],
            properties: {
              type: nonEmptyString,
              level: { enum: ['info', 'warning', 'error'] },
              message: { type: 'string' },
              error: { type: 'object' },
            },
          },
        },
      },
    },
  },
};

/** The apiVersions under which Backstage accepts its built-in kinds. */
const BUILTIN_API_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'];

/**
 * The schema of a whole entity of one built-in kind: the shared envelope
 * plus the kind's own spec, with kind and apiVersion pinned.
 */
export function createKindSchema(options: {
  kind: string;
  description: string;
  required: string[];
  properties: Record<string, JsonObject>;
}): EntityKindSchema {
  return {
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      description: options.description,
      allOf: [
        entityEnvelopeSchema,
        {
          type: 'object',
          required: ['spec'],
          properties: {
            apiVersion: { enum: BUILTIN_API_VERSIONS },
            kind: { enum: [options.kind] },
            spec: {
              type: 'object',
              required: options.required,
              properties: options.properties,
            },
          },
        },
      ],
    },
  };
}

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
