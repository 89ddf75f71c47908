import { ForwardedError } from './ForwardedError';
import { InputError } from './InputError';

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
