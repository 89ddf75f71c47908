import type { JsonObject } from '@plinth/errors';
import type { EntityKindSchema } from '../validation/EntityKindSchema';
import { entityEnvelopeSchema } from './entityEnvelopeSchema';

/** The apiVersions under which Backstage accepts its built-in kinds. */
export const BUILTIN_API_VERSIONS = [
  'backstage.io/v1alpha1',
  'backstage.io/v1beta1',
];

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
