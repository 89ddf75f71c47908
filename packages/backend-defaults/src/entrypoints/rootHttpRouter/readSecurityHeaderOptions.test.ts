import type { JsonObject } from '@plinth/backend-plugin-api';
import { ConfigReader } from '../../config';
import {
  readCorsOptions,
  readHelmetOptions,
} from './readSecurityHeaderOptions';

function readCors(cors: JsonObject | undefined) {
  return readCorsOptions(
    new ConfigReader(cors ? { backend: { cors } } : {}, 'app-config.yaml'),
  );
}

/** Whether the options allow `origin`, as the cors middleware asks. */
function allows(options: ReturnType<typeof readCors>, origin: string) {
  let allowed: unknown;
  const decide = options!.origin as (
    origin: string,
    callback: (error: Error | null, allowed: unknown) => void,
  ) => void;
  decide(origin, (_error, result) => (allowed = result));
  return allowed;
}

describe('readCorsOptions', () => {
  it('returns undefined when backend.cors is not set', () => {
    expect(readCors(undefined)).toBeUndefined();
  });

  it('reads every option', () => {
    const options = readCors({
      origin: 'https://app.example.com',
      methods: 'GET',
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['ETag'],
      credentials: true,
      maxAge: 600,
    });
    expect(options).toMatchObject({
      methods: ['GET'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['ETag'],
      credentials: true,
      maxAge: 600,
    });
  });

  it('matches origins exactly, ignoring case, with * inside a host name', () => {
    const options = readCors({
      origin: ['https://app.example.com', 'https://*.example.org'],
    });
    expect(allows(options, 'https://APP.example.com')).toBe(true);
    expect(allows(options, 'https://a.b.example.org')).toBe(true);
    expect(allows(options, 'https://app.example.com.evil.com')).toBe(false);
    expect(allows(options, 'https://evil.com/x.example.org')).toBe(false);
  });

  it("leaves out options that are not set, keeping the cors middleware's defaults", () => {
    expect(
      Object.keys(readCors({ origin: 'https://app.example.com' })!),
    ).toEqual(['origin']);
  });

  it("allows every origin with '*'", () => {
    expect(allows(readCors({ origin: '*' }), 'https://anything.test')).toBe(
      true,
    );
  });

  it('fails naming the key when origin is missing', () => {
    expect(() => readCors({ credentials: true })).toThrow(
      "Missing required config value at 'backend.cors.origin'; set it in 'app-config.yaml'.",
    );
  });

  it('fails naming the key and the file when origin has the wrong type', () => {
    expect(() => readCors({ origin: 5 })).toThrow(
      "Invalid config at 'backend.cors.origin' (app-config.yaml): expected a non-empty string or a non-empty list of strings, got 5.",
    );
    expect(() => readCors({ origin: [] })).toThrow(
      "Invalid config at 'backend.cors.origin' (app-config.yaml): expected a non-empty string or a non-empty list of strings, got an array.",
    );
  });
});

function readCsp(csp: JsonObject | undefined) {
  return readHelmetOptions(
    new ConfigReader(csp ? { backend: { csp } } : {}, 'app-config.yaml'),
  );
}

describe('readHelmetOptions', () => {
  it("keeps helmet's default directives when backend.csp is not set", () => {
    expect(readCsp(undefined)).toEqual({
      contentSecurityPolicy: { useDefaults: true, directives: {} },
    });
  });

  it('replaces directives and removes those set to false', () => {
    expect(
      readCsp({
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
    expect(() => readCsp({ 'img-src': "'self'" })).toThrow(
      "Invalid config at 'backend.csp.img-src' (app-config.yaml): expected a list of strings, or false to remove the directive, got \"'self'\".",
    );
  });

  it('fails with the reason helmet gives for a directive it rejects', () => {
    expect(() => readCsp({ 'script-src': ['self'] })).toThrow(
      `Invalid config at 'backend.csp' (app-config.yaml): expected directives helmet accepts (Content-Security-Policy received an invalid directive value for "script-src". "self" should be quoted), got an object.`,
    );
  });
});
