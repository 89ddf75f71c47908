import { InputError } from '@plinth/errors';
import { EntityValidationError } from './errors';
import { createProblem } from './validation/defaultFieldValidators';

const nameProblem = createProblem(
  'metadata.name',
  '-x',
  'must be 1-63 characters of [a-zA-Z0-9], separated by [-_.]',
);
const ownerProblem = createProblem('spec.owner', undefined, 'is required');

describe('EntityValidationError', () => {
  it('is an InputError with its own name', () => {
    const error = new EntityValidationError({}, [ownerProblem]);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EntityValidationError');
  });

  it('names the entity by its ref with kind and namespace lowercased', () => {
    const error = new EntityValidationError(
      { kind: 'Component', metadata: { name: 'PetStore', namespace: 'Ops' } },
      [nameProblem],
    );
    expect(error.message).toBe(
      "Invalid entity 'component:ops/PetStore': 'metadata.name' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 2 characters.",
    );
  });

  it('uses the default namespace in the ref', () => {
    const error = new EntityValidationError(
      { kind: 'Component', metadata: { name: 'a', namespace: 5 } },
      [ownerProblem],
    );
    expect(error.message).toBe(
      "Invalid entity 'component:default/a': 'spec.owner' is required.",
    );
  });

  it('says what is known when the ref cannot be formed', () => {
    expect(
      new EntityValidationError({ kind: 'User', metadata: {} }, [ownerProblem])
        .message,
    ).toBe("Invalid entity of kind 'User': 'spec.owner' is required.");
    expect(
      new EntityValidationError({ metadata: { name: 'jdoe' } }, [ownerProblem])
        .message,
    ).toBe("Invalid entity named 'jdoe': 'spec.owner' is required.");
    expect(
      new EntityValidationError({ kind: '', metadata: 'x' }, [ownerProblem])
        .message,
    ).toBe("Invalid entity: 'spec.owner' is required.");
    expect(new EntityValidationError(42, [ownerProblem]).message).toBe(
      "Invalid entity: 'spec.owner' is required.",
    );
  });

  it('lists several problems one line each', () => {
    const error = new EntityValidationError(
      { kind: 'Component', metadata: { name: 'a' } },
      [nameProblem, ownerProblem],
    );
    expect(error.message).toBe(
      [
        "Invalid entity 'component:default/a' has 2 problems:",
        "  'metadata.name' must be 1-63 characters of [a-zA-Z0-9], separated by [-_.], got a string of 2 characters.",
        "  'spec.owner' is required.",
      ].join('\n'),
    );
  });

  it('exposes every problem and the field of the first', () => {
    const error = new EntityValidationError({}, [nameProblem, ownerProblem]);
    expect(error.field).toBe('metadata.name');
    expect(error.problems).toEqual([nameProblem, ownerProblem]);
  });

  it('carries no field value that a serializer could send to a client', () => {
    const error = new EntityValidationError({}, [nameProblem]);
    expect(Object.values(error)).not.toContain('-x');
    expect(JSON.stringify(error.problems)).not.toContain('-x');
  });
});
