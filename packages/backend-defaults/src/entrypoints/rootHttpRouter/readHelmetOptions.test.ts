import type { JsonObject } from '@plinth/backend-plugin-api';
import { ConfigReader } from '../rootConfig/ConfigReader';
import { readHelmetOptions } from './readHelmetOptions';

function read(csp: JsonObject | undefined) {
  return readHelmetOptions(
    new ConfigReader(csp ? { backend: { csp } } : {}, 'app-config.yaml'),
  );
}

describe('readHelmetOptions', () => {
  it("keeps helmet's default directives when backend.csp is not set", () => {
    expect(read(undefined)).toEqual({
      contentSecurityPolicy: { useDefaults: true, directives: {} },
    });
  });

  it('replaces directives and removes those set to false', () => {
    expect(
      read({
        'script-src': ["'self'", 'https://cdn.test'],
        'upgrade-insecure-requests': false,
      }),
    ).toEqual({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'script-src': ["'self'", 'https://cdn.test'],
          'upgrade-insecure-requests': null,
        },
      },
    });
  });

  it('fails naming the directive when a value is not a list or false', () => {
    expect(() => read({ 'img-src': "'self'" })).toThrow(
      "Invalid config at 'backend.csp.img-src' (app-config.yaml): expected a list of strings, or false to remove the directive, got \"'self'\".",
    );
  });

  it('fails with the reason helmet gives for a directive it rejects', () => {
    expect(() => read({ 'script-src': ['self'] })).toThrow(
      `Invalid config at 'backend.csp' (app-config.yaml): expected directives helmet accepts (Content-Security-Policy received an invalid directive value for "script-src". "self" should be quoted), got an object.`,
    );
  });
});
