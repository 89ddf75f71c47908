import { toError } from './toError';

describe('toError', () => {
  it('returns errors unchanged', () => {
    const error = new TypeError('x');
    expect(toError(error)).toBe(error);
  });

  it('accepts error-shaped objects from other realms', () => {
    const value = { name: 'RemoteError', message: 'remote' };
    expect(toError(value)).toBe(value);
  });

  it('wraps thrown strings and objects into an error that names the value', () => {
    expect(toError('boom').message).toBe('A non-error value was thrown: boom');
    expect(toError({ code: 1 }).message).toBe(
      'A non-error value was thrown: {"code":1}',
    );
  });

  it('survives values that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toError(cyclic).message).toBe(
      'A non-error value was thrown: [object Object]',
    );
  });
});
