import type { Entity } from './Entity';
import { createEntityValidator } from '../validation/createEntityValidator';
import { builtinKindSchemas } from './builtinKindSchemas';

const validator = createEntityValidator();

function entity(kind: string, spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'example' },
    spec: spec as Entity['spec'],
  };
}

function kindProblems(e: Entity): string {
  try {
    validator.validateKind(e);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected '${e.kind}' to break its schema`);
}

const complete: Array<[string, Record<string, unknown>]> = [
  [
    'Component',
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-a',
      subcomponentOf: 'platform',
      providesApis: ['petstore'],
      consumesApis: ['api:ops/auth'],
      dependsOn: ['resource:db'],
      dependencyOf: ['component:web'],
      system: 'shop',
    },
  ],
  [
    'API',
    {
      type: 'openapi',
      lifecycle: 'production',
      owner: 'team-a',
      definition: 'openapi: 3.0.0',
      system: 'shop',
    },
  ],
  [
    'Resource',
    {
      type: 'database',
      owner: 'team-a',
      dependsOn: ['resource:disk'],
      dependencyOf: ['component:api'],
      system: 'shop',
    },
  ],
  ['System', { owner: 'team-a', domain: 'commerce', type: 'product' }],
  ['Domain', { owner: 'team-a', subdomainOf: 'business', type: 'area' }],
  [
    'Group',
    {
      type: 'team',
      profile: { displayName: 'A', email: 'a@example.com', picture: 'p' },
      parent: 'org',
      children: [],
      members: ['jdoe'],
    },
  ],
  [
    'User',
    {
      profile: { displayName: 'Jenny', email: 'j@example.com' },
      memberOf: ['team-a'],
    },
  ],
  [
    'Location',
    {
      type: 'url',
      target: './a.yaml',
      targets: ['./b.yaml'],
      presence: 'optional',
    },
  ],
];

describe('builtinKindSchemas', () => {
  it('covers the eight built-in kinds', () => {
    expect(builtinKindSchemas).toHaveLength(8);
    expect(complete.map(([kind]) => kind)).toHaveLength(8);
  });

  it.each(complete)('accepts a complete %s', (kind, spec) => {
    expect(validator.validateKind(entity(kind, spec))).toBe(true);
  });

  it.each(complete)('accepts a %s under backstage.io/v1beta1', (kind, spec) => {
    expect(
      validator.validateKind({
        ...entity(kind, spec),
        apiVersion: 'backstage.io/v1beta1',
      }),
    ).toBe(true);
  });

  it.each(complete)(
    'does not know a %s under another apiVersion',
    (kind, spec) => {
      expect(
        validator.validateKind({
          ...entity(kind, spec),
          apiVersion: 'backstage.io/v2',
        }),
      ).toBe(false);
    },
  );

  it.each([
    ['Component', ['type', 'lifecycle', 'owner']],
    ['API', ['type', 'lifecycle', 'owner', 'definition']],
    ['Resource', ['type', 'owner']],
    ['Group', ['type', 'children']],
  ])('requires the spec fields of a %s', (kind, required) => {
    expect(kindProblems(entity(kind, {}))).toBe(
      [
        `Invalid entity '${kind.toLowerCase()}:default/example' has ${required.length} problems:`,
        ...required.map(field => `  'spec.${field}' is required.`),
      ].join('\n'),
    );
  });

  it.each([
    ['System', 'owner'],
    ['Domain', 'owner'],
    ['User', 'memberOf'],
  ])('requires the one spec field of a %s', (kind, field) => {
    expect(kindProblems(entity(kind, {}))).toBe(
      `Invalid entity '${kind.toLowerCase()}:default/example': 'spec.${field}' is required.`,
    );
  });

  it('accepts a Location with an empty spec', () => {
    expect(validator.validateKind(entity('Location', {}))).toBe(true);
  });

  it.each(complete.map(([kind]) => kind))('requires a spec on a %s', kind => {
    const { spec: _spec, ...withoutSpec } = entity(kind, {});
    expect(kindProblems(withoutSpec)).toBe(
      `Invalid entity '${kind.toLowerCase()}:default/example': 'spec' is required.`,
    );
  });

  it('checks the types of Component fields', () => {
    expect(
      kindProblems(
        entity('Component', {
          type: 42,
          lifecycle: '',
          owner: 'team-a',
          providesApis: 'petstore',
          dependsOn: [''],
          system: ['shop'],
        }),
      ),
    ).toBe(
      [
        "Invalid entity 'component:default/example' has 5 problems:",
        "  'spec.type' must be a string, got an integer.",
        "  'spec.lifecycle' must be a non-empty string, got an empty string.",
        "  'spec.providesApis' must be an array, got a string of 8 characters.",
        "  'spec.dependsOn[0]' must be a non-empty string, got an empty string.",
        "  'spec.system' must be a string, got an array of 1 item.",
      ].join('\n'),
    );
  });

  it('checks the profile of a Group', () => {
    expect(
      kindProblems(
        entity('Group', {
          type: 'team',
          children: [],
          profile: { displayName: '', email: 3 },
        }),
      ),
    ).toBe(
      [
        "Invalid entity 'group:default/example' has 2 problems:",
        "  'spec.profile.displayName' must be a non-empty string, got an empty string.",
        "  'spec.profile.email' must be a string, got an integer.",
      ].join('\n'),
    );
  });

  it('checks the presence of a Location against its two values', () => {
    expect(kindProblems(entity('Location', { presence: 'maybe' }))).toBe(
      "Invalid entity 'location:default/example': 'spec.presence' must be one of 'required', 'optional', got a string of 5 characters.",
    );
  });

  it('allows spec fields the schema does not describe', () => {
    expect(
      validator.validateKind(
        entity('System', { owner: 'team-a', customField: { any: 1 } }),
      ),
    ).toBe(true);
  });
});
