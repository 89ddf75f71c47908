import type { JsonObject } from '@plinth/errors';

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
