import { parsePgConnectionString } from './readPgConnection';

describe('parsePgConnectionString', () => {
  it('reads every part of a URL and decodes escaped characters', () => {
    expect(
      parsePgConnectionString(
        'postgresql://app%20user:p%2Fss@db.internal:6543/my%20db?application_name=plinth',
      ),
    ).toEqual({
      host: 'db.internal',
      port: 6543,
      user: 'app user',
      password: 'p/ss',
      database: 'my db',
      application_name: 'plinth',
    });
  });

  it('leaves out the parts a URL does not have', () => {
    expect(parsePgConnectionString('postgres://db.internal')).toEqual({
      host: 'db.internal',
    });
  });

  it('reads an IPv6 host without brackets', () => {
    expect(parsePgConnectionString('postgres://[::1]:5432/x')).toMatchObject({
      host: '::1',
    });
  });

  it('reads a socket directory from the host parameter', () => {
    expect(
      parsePgConnectionString('postgres:///main?host=/var/run/postgresql'),
    ).toEqual({ host: '/var/run/postgresql', database: 'main' });
  });

  it.each([
    ['sslmode=disable', false],
    ['sslmode=no-verify', { rejectUnauthorized: false }],
    ['sslmode=require', true],
    ['sslmode=verify-full', true],
    ['ssl=true', true],
    ['ssl=1', true],
    ['ssl=false', false],
  ])('turns %s into the ssl option', (query, ssl) => {
    expect(
      parsePgConnectionString(`postgres://db.internal/x?${query}`),
    ).toMatchObject({ ssl });
  });

  it('explains why a string that is not a URL cannot be used', () => {
    expect(parsePgConnectionString('host=db.internal user=app')).toEqual({
      invalid: 'the connection string is not a URL',
    });
  });

  it('explains why a URL of another scheme cannot be used', () => {
    expect(parsePgConnectionString('mysql://db.internal/x')).toEqual({
      invalid: "the connection string uses 'mysql:', not 'postgres:'",
    });
  });
});
