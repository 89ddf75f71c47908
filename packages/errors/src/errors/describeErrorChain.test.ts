import { describeErrorChain } from './describeErrorChain';
import { ForwardedError } from './ForwardedError';
import { InputError } from './InputError';

describe('describeErrorChain', () => {
  it('prints one line per error in the cause chain without stack traces', () => {
    const error = new ForwardedError(
      "Plugin 'catalog' failed to start",
      new Error('Could not connect', { cause: new InputError('Bad host') }),
    );
    expect(describeErrorChain(error)).toBe(
      [
        "Error: Plugin 'catalog' failed to start",
        '  caused by Error: Could not connect',
        '  caused by InputError: Bad host',
      ].join('\n'),
    );
  });

  it('stops at a cause that points back into the chain', () => {
    const error = new Error('a');
    (error as { cause?: unknown }).cause = error;
    expect(describeErrorChain(error)).toBe('Error: a');
  });

  it('prints non-error causes as text', () => {
    expect(describeErrorChain(new Error('a', { cause: 42 }))).toBe(
      'Error: a\n  caused by 42',
    );
  });
});
