import { ForwardedError } from './ForwardedError';
import { InputError } from './InputError';
import { NotFoundError } from './NotFoundError';
import { serializeError } from './serializeError';

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
