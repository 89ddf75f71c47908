import {
  AuthenticationError,
  ConflictError,
  CustomErrorBase,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
  GoneError,
  ServiceUnavailableError,
  httpStatusOf,
} from './httpErrors';

describe('CustomErrorBase', () => {
  it.each([
    ['InputError', InputError],
    ['AuthenticationError', AuthenticationError],
    ['NotAllowedError', NotAllowedError],
    ['NotFoundError', NotFoundError],
    ['ConflictError', ConflictError],
    ['NotModifiedError', NotModifiedError],
    ['GoneError', GoneError],
    ['ServiceUnavailableError', ServiceUnavailableError],
  ] as const)('gives %s its explicit name', (name, ErrorClass) => {
    const error = new ErrorClass('message');
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe(`${name}: message`);
  });

  it('keeps the cause as a property instead of pasting it into the message', () => {
    const cause = new Error('disk full');
    const error = new ConflictError('Could not save', cause);
    expect(error.message).toBe('Could not save');
    expect(error.cause).toBe(cause);
  });

  it('leaves cause undefined when none is given', () => {
    expect('cause' in new NotFoundError('gone')).toBe(false);
  });
});

describe('ForwardedError', () => {
  it('takes the name of the error it forwards so its type survives', () => {
    const cause = new InputError("Bad entity ref 'x:'");
    const error = new ForwardedError('Could not read location', cause);
    expect(error.name).toBe('InputError');
    expect(error.message).toBe('Could not read location');
    expect(error.cause).toBe(cause);
  });

  it('falls back to the name Error when the cause is not an error', () => {
    expect(new ForwardedError('Failed', 'boom').name).toBe('Error');
  });
});

describe('httpStatusOf', () => {
  it.each([
    [new InputError('x'), 400],
    [new AuthenticationError('x'), 401],
    [new NotAllowedError('x'), 403],
    [new NotFoundError('x'), 404],
    [new ConflictError('x'), 409],
    [new NotModifiedError('x'), 304],
    [new GoneError('x'), 410],
    [new ServiceUnavailableError('x'), 503],
  ])('gives %s its status', (error, status) => {
    expect(httpStatusOf(error)).toBe(status);
  });

  it('gives a subclass with a name of its own the status of its base class', () => {
    class EntityProblem extends InputError {}
    const error = new EntityProblem('Invalid entity');
    Object.defineProperty(error, 'name', { value: 'EntityProblem' });
    expect(httpStatusOf(error)).toBe(400);
  });

  it('gives a forwarded error the status of its cause', () => {
    expect(
      httpStatusOf(new ForwardedError('ctx', new NotFoundError('x'))),
    ).toBe(404);
  });

  it('gives no status to other errors, however their cause is typed', () => {
    expect(httpStatusOf(new Error('x', { cause: new InputError('y') }))).toBe(
      undefined,
    );
    expect(
      httpStatusOf(
        new (class extends CustomErrorBase {
          readonly name = 'X';
        })(),
      ),
    ).toBe(undefined);
  });
});
