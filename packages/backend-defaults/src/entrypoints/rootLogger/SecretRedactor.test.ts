import { SecretRedactor } from './SecretRedactor';

describe('SecretRedactor', () => {
  it('replaces every occurrence of each secret', () => {
    const redactor = new SecretRedactor();
    redactor.add(['a-key-1', 'b-key-2']);
    expect(redactor.redactString('a-key-1 and b-key-2 and a-key-1')).toBe(
      '*** and *** and ***',
    );
  });

  it('hides a secret that contains another one whole', () => {
    const redactor = new SecretRedactor();
    redactor.add(['abcd', 'abcd1234']);
    expect(redactor.redactString('token abcd1234')).toBe('token ***');
  });

  it('ignores empty and blank secrets without counting them as too short', () => {
    const redactor = new SecretRedactor();
    expect(redactor.add(['', ' \n'])).toEqual({ tooShort: 0 });
    expect(redactor.redactString('text')).toBe('text');
  });

  it('counts secrets shorter than four characters and leaves them in the text', () => {
    const redactor = new SecretRedactor();
    expect(redactor.add(['dev', 'long-secret'])).toEqual({ tooShort: 1 });
    expect(redactor.redactString('device long-secret')).toBe('device ***');
  });

  it('replaces each line of a multi-line secret and the secret without surrounding whitespace', () => {
    const redactor = new SecretRedactor();
    redactor.add(['line-one\nline-two\n']);
    expect(redactor.redactString('got line-two')).toBe('got ***');
    expect(redactor.redactString('[line-one\nline-two]')).toBe('[***]');
  });
});
