import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
  ServiceUnavailableError,
} from '../index';

describe('CustomErrorBase', () => {
  it.each([
    ['InputError', InputError],
    ['AuthenticationError', AuthenticationError],
    ['NotAllowedError', NotAllowedError],
    ['NotFoundError', NotFoundError],
    ['ConflictError', ConflictError],
    ['NotModifiedError', NotModifiedError],
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
