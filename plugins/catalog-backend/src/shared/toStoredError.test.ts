import { ForwardedError, InputError } from '@plinth/errors';
import { toStoredError } from './toStoredError';

describe('toStoredError', () => {
  it('keeps the name, message, code and causes, without stack traces', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });
    const error = new ForwardedError("Could not read location 'url:x'", cause);

    expect(toStoredError(error)).toEqual({
      name: 'Error',
      message: "Could not read location 'url:x'",
      cause: {
        name: 'Error',
        message: 'connect ECONNREFUSED',
        code: 'ECONNREFUSED',
      },
    });
  });

  it('turns a thrown value that is no error into a message', () => {
    expect(toStoredError('boom')).toEqual({ name: 'Error', message: 'boom' });
  });

  it('stops following causes that go round in a circle', () => {
    const error = new InputError('a');
    (error as { cause?: unknown }).cause = error;

    let depth = 0;
    for (let e = toStoredError(error).cause; e; e = e.cause) {
      depth += 1;
    }
    expect(depth).toBe(5);
  });
});
