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

  it('replaces the URL-encoded and JSON-escaped forms of a secret', () => {
    const secret = 'p@ss word/+"\\x';
    const redactor = new SecretRedactor();
    redactor.add([secret]);
    const encoded = encodeURIComponent(secret);
    expect(redactor.redactString(`?token=${encoded}`)).toBe('?token=***');
    expect(redactor.redactString(`?token=${encoded.replace('%20', '+')}`)).toBe(
      '?token=***',
    );
    expect(redactor.redactString(`?token=${encoded.toLowerCase()}`)).toBe(
      '?token=***',
    );
    expect(redactor.redactString(JSON.stringify({ token: secret }))).toBe(
      '{"token":"***"}',
    );
  });

  it('replaces a secret cut short to half of its length or more', () => {
    const secret = 'k'.repeat(6) + '0123456789abcdefghijklmnopqrstuvwxyzAB';
    const redactor = new SecretRedactor();
    redactor.add([secret]);
    expect(redactor.redactString(`value "${secret.slice(0, 30)}…"`)).toBe(
      'value "***…"',
    );
    expect(redactor.redactString(secret.slice(0, 22))).toBe('***');
    expect(redactor.redactString(secret.slice(0, 21))).toBe(
      secret.slice(0, 21),
    );
    expect(redactor.redactString(`${secret}!`)).toBe('***!');
  });

  it('leaves short runs that merely start like a secret', () => {
    const redactor = new SecretRedactor();
    redactor.add(['dev-password']);
    expect(redactor.redactString('dev-pas')).toBe('dev-pas');
    expect(redactor.redactString('dev-pass')).toBe('***');
  });

  it('finds secrets of every length anywhere in a long text', () => {
    const short = 'pw4x';
    const cut = 'c'.repeat(20) + 'd'.repeat(20);
    const long = 'L'.repeat(150) + 'M'.repeat(150);
    const redactor = new SecretRedactor();
    redactor.add([short, cut, long]);
    const filler = 'x'.repeat(50_000);
    const text = `${filler}${short}${filler}${cut.slice(0, 20)}.${filler}${long}`;
    expect(redactor.redactString(text)).toBe(
      `${filler}***${filler}***.${filler}***`,
    );
  });
});
