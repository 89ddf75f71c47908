import { ForwardedError, InputError, NotFoundError } from './httpErrors';
import { describeErrorChain, serializeError, toError } from './errorChain';

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

describe('serializeError', () => {
  it('keeps the name and message and drops the stack by default', () => {
    expect(serializeError(new NotFoundError("No entity 'x'"))).toEqual({
      name: 'NotFoundError',
      message: "No entity 'x'",
    });
  });

  it('keeps the stack when asked', () => {
    const serialized = serializeError(new Error('boom'), {
      includeStack: true,
    });
    expect(serialized.stack).toContain('boom');
  });

  it('serializes the cause chain', () => {
    const error = new ForwardedError(
      "Could not read 'file:a.yaml'",
      new InputError('bad yaml'),
    );
    expect(serializeError(error)).toEqual({
      name: 'InputError',
      message: "Could not read 'file:a.yaml'",
      cause: { name: 'InputError', message: 'bad yaml' },
    });
  });

  it('keeps JSON-safe own fields and string codes, and skips the rest', () => {
    const error = Object.assign(new Error('nope'), {
      code: 'ENOENT',
      field: 'metadata.name',
      callback: () => undefined,
    });
    expect(serializeError(error)).toEqual({
      name: 'Error',
      message: 'nope',
      code: 'ENOENT',
      field: 'metadata.name',
    });
  });

  it('turns a thrown non-error into an Error-shaped object', () => {
    expect(serializeError('just text')).toEqual({
      name: 'Error',
      message: 'just text',
    });
  });

  it('stops at a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(serializeError(a)).toEqual({
      name: 'Error',
      message: 'a',
      cause: { name: 'Error', message: 'b' },
    });
  });
});
