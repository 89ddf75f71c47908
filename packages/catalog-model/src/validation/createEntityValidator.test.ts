import { InputError } from '@plinth/errors';
import type { Entity } from '../entity/Entity';
import { EntityValidationError } from '../errors';
import type { EntityKindSchema } from './compileKindSchemas';
import { createEntityValidator } from './createEntityValidator';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'petstore' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

const jobSchema: EntityKindSchema = {
  schema: {
    $id: 'JobV1',
    allOf: [
      { $ref: 'Entity' },
      {
        required: ['spec'],
        properties: {
          apiVersion: { const: 'acme.io/v1' },
          kind: { const: 'Job' },
          spec: {
            type: 'object',
            required: ['schedule'],
            properties: { schedule: { type: 'string' } },
          },
        },
      },
    ],
  },
};

function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('createEntityValidator', () => {
  describe('validateEnvelope', () => {
    it('returns the entity itself when it is valid', () => {
      expect(createEntityValidator().validateEnvelope(component)).toBe(
        component,
      );
    });

    it('throws one EntityValidationError listing every problem', () => {
      const error = thrownBy(() =>
        createEntityValidator().validateEnvelope({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'foo', labels: { 'Foo!': 'x' }, tags: ['Java'] },
        }),
      );
      expect(error).toBeInstanceOf(EntityValidationError);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        [
          "Invalid entity 'component:default/foo' has 2 problems:",
          "  'metadata.labels.Foo!' is not a valid label key: it must be '[<prefix>/]<name>', where the prefix is a DNS subdomain of at most 253 characters and the name 1-63 characters of [a-zA-Z0-9] separated by [-_.], got a string of 4 characters.",
          "  'metadata.tags[0]' must be 1-63 characters of [a-z0-9:+#], separated by [-], got a string of 4 characters.",
        ].join('\n'),
      );
      expect(error).toMatchObject({ field: 'metadata.labels.Foo!' });
    });

    it('rejects a value that is not an entity at all', () => {
      expect(() => createEntityValidator().validateEnvelope('x')).toThrow(
        new EntityValidationError('x', [
          {
            field: '',
            message:
              "expected an object with 'apiVersion', 'kind' and 'metadata', got a string of 1 character",
          },
        ]),
      );
      expect(() => createEntityValidator().validateEnvelope('x')).toThrow(
        "Invalid entity: expected an object with 'apiVersion', 'kind' and 'metadata', got a string of 1 character.",
      );
    });

    it('applies replaced field validators', () => {
      const longName = 'n'.repeat(100);
      const validator = createEntityValidator({
        fieldValidators: {
          isValidEntityName: value =>
            typeof value === 'string' && value.length <= 100,
        },
      });
      expect(
        validator.validateEnvelope({
          ...component,
          metadata: { name: longName },
        }),
      ).toBeDefined();
      expect(() =>
        validator.validateEnvelope({
          ...component,
          metadata: { name: `${longName}n` },
        }),
      ).toThrow(
        `Invalid entity 'component:default/${longName}n': 'metadata.name' is rejected by the custom 'isValidEntityName' field validator, got a string of 101 characters.`,
      );
    });
  });

  describe('validateKind', () => {
    it('returns true for an entity of a built-in kind that passes', () => {
      expect(createEntityValidator().validateKind(component)).toBe(true);
    });

    it('returns false for a kind no schema knows', () => {
      expect(
        createEntityValidator().validateKind({ ...component, kind: 'Job' }),
      ).toBe(false);
    });

    it('matches kinds case-sensitively, as Backstage does', () => {
      expect(
        createEntityValidator().validateKind({
          ...component,
          kind: 'component',
        }),
      ).toBe(false);
    });

    it('validates a kind added with kindSchemas', () => {
      const validator = createEntityValidator({ kindSchemas: [jobSchema] });
      const job: Entity = {
        apiVersion: 'acme.io/v1',
        kind: 'Job',
        metadata: { name: 'nightly' },
        spec: { schedule: '@daily' },
      };
      expect(validator.validateKind(job)).toBe(true);
      expect(validator.validateKind({ ...job, apiVersion: 'acme.io/v2' })).toBe(
        false,
      );
      expect(() => validator.validateKind({ ...job, spec: {} })).toThrow(
        new EntityValidationError(job, [
          {
            field: 'spec.schedule',
            message: "'spec.schedule' is required",
          },
        ]),
      );
      expect(() => validator.validateKind({ ...job, spec: {} })).toThrow(
        "Invalid entity 'job:default/nightly': 'spec.schedule' is required.",
      );
    });

    it('checks an entity against every schema of its kind and reports each problem once', () => {
      const validator = createEntityValidator({
        kindSchemas: [
          {
            schema: {
              properties: {
                kind: { const: 'Component' },
                spec: {
                  required: ['owner', 'system'],
                  properties: { system: { type: 'string' } },
                },
              },
            },
          },
        ],
      });
      expect(() =>
        validator.validateKind({
          ...component,
          spec: { type: 'service', lifecycle: 'production' },
        }),
      ).toThrow(
        [
          "Invalid entity 'component:default/petstore' has 2 problems:",
          "  'spec.owner' is required.",
          "  'spec.system' is required.",
        ].join('\n'),
      );
    });

    it('keeps the built-in kinds when kind schemas are added', () => {
      const validator = createEntityValidator({ kindSchemas: [jobSchema] });
      expect(validator.validateKind(component)).toBe(true);
    });

    it('lets two validators compile the same schema with an $id', () => {
      const first = createEntityValidator({ kindSchemas: [jobSchema] });
      const second = createEntityValidator({
        kindSchemas: [structuredClone(jobSchema)],
      });
      const job: Entity = {
        apiVersion: 'acme.io/v1',
        kind: 'Job',
        metadata: { name: 'a' },
        spec: { schedule: 'x' },
      };
      expect(first.validateKind(job)).toBe(true);
      expect(second.validateKind(job)).toBe(true);
    });
  });

  it('rejects a kind schema that pins no kind when it is created', () => {
    expect(() =>
      createEntityValidator({
        kindSchemas: [jobSchema, { schema: { type: 'object' } }],
      }),
    ).toThrow(
      'Entity kind schema kindSchemas[1] does not pin a kind; give it \'properties.kind\' with \'enum\' or \'const\', e.g. { "kind": { "enum": ["Template"] } }, so the validator knows which entities it checks.',
    );
  });
});
