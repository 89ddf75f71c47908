import { redactSecrets } from './redactSecrets';

describe('redactSecrets', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redactSecrets('a-key and b-key and a-key', ['a-key', 'b-key'])).toBe(
      '*** and *** and ***',
    );
  });

  it('hides a secret that contains another one whole', () => {
    expect(redactSecrets('token abc123', ['abc', 'abc123'])).toBe('token ***');
  });

  it('ignores empty secrets', () => {
    expect(redactSecrets('text', [''])).toBe('text');
  });
});
