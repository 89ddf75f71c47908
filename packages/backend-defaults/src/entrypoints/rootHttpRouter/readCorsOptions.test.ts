import type { JsonObject } from '@plinth/backend-plugin-api';
import { ConfigReader } from '../rootConfig/ConfigReader';
import { readCorsOptions } from './readCorsOptions';

function read(cors: JsonObject | undefined) {
  return readCorsOptions(
    new ConfigReader(cors ? { backend: { cors } } : {}, 'app-config.yaml'),
  );
}

/** Whether the options allow `origin`, as the cors middleware asks. */
function allows(options: ReturnType<typeof read>, origin: string) {
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
    expect(read(undefined)).toBeUndefined();
  });

  it('reads every option', () => {
    const options = read({
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
    const options = read({
      origin: ['https://app.example.com', 'https://*.example.org'],
    });
    expect(allows(options, 'https://APP.example.com')).toBe(true);
    expect(allows(options, 'https://a.b.example.org')).toBe(true);
    expect(allows(options, 'https://app.example.com.evil.com')).toBe(false);
    expect(allows(options, 'https://evil.com/x.example.org')).toBe(false);
  });

  it("leaves out options that are not set, keeping the cors middleware's defaults", () => {
    expect(Object.keys(read({ origin: 'https://app.example.com' })!)).toEqual([
      'origin',
    ]);
  });

  it("allows every origin with '*'", () => {
    expect(allows(read({ origin: '*' }), 'https://anything.test')).toBe(true);
  });

  it('fails naming the key when origin is missing', () => {
    expect(() => read({ credentials: true })).toThrow(
      "Missing required config value at 'backend.cors.origin'; set it in 'app-config.yaml'.",
    );
  });

  it('fails naming the key and the file when origin has the wrong type', () => {
    expect(() => read({ origin: 5 })).toThrow(
      "Invalid config at 'backend.cors.origin' (app-config.yaml): expected a non-empty string or a non-empty list of strings, got 5.",
    );
    expect(() => read({ origin: [] })).toThrow(
      "Invalid config at 'backend.cors.origin' (app-config.yaml): expected a non-empty string or a non-empty list of strings, got an array.",
    );
  });
});
