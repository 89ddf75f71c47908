import { createHmac, createSecretKey, generateKeyPairSync } from 'node:crypto';
import type { JsonObject } from '@plinth/backend-plugin-api';
import type { JwsKey, JwsSigningKey } from './JwsKey';
import { InvalidTokenError } from './InvalidTokenError';
import { signJws } from './signJws';
import { verifyJws } from './verifyJws';

const now = 1_700_000_000;
const hsKey = {
  alg: 'HS256' as const,
  secret: createSecretKey(Buffer.from('a-secret-that-is-long-enough-1234')),
};
const otherHsKey: JwsSigningKey = {
  alg: 'HS256',
  secret: createSecretKey(Buffer.from('another-secret-long-enough-567890')),
};
const edPair = generateKeyPairSync('ed25519');
const edKey: JwsSigningKey = {
  alg: 'EdDSA',
  kid: 'ed-1',
  publicKey: edPair.publicKey,
  privateKey: edPair.privateKey,
};
const edPublic: JwsKey = {
  alg: 'EdDSA',
  kid: 'ed-1',
  publicKey: edPair.publicKey,
};

const claims = (extra: JsonObject = {}): JsonObject => ({
  sub: 'plugin:todo',
  aud: 'catalog',
  iat: now,
  exp: now + 600,
  ...extra,
});

const encode = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs arbitrary header and payload text with the HS256 test key. */
function signRaw(header: string, payload: string): string {
  const input = `${header}.${payload}`;
  const signature = createHmac('sha256', hsKey.secret).update(input).digest();
  return `${input}.${signature.toString('base64url')}`;
}

function rejection(
  token: string,
  options: Partial<Parameters<typeof verifyJws>[1]> = {},
) {
  try {
    verifyJws(token, { keys: [hsKey], now, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    const { reason, message } = error as InvalidTokenError;
    return { reason, message };
  }
  throw new Error('expected verifyJws to throw');
}

describe('verifyJws', () => {
  it('verifies an HS256 token and returns its claims and expiry', () => {
    const token = signJws(claims(), hsKey, { typ: 'vnd.plinth.service' });
    const verified = verifyJws(token, {
      keys: [hsKey],
      now,
      audience: 'catalog',
      maxLifetimes: { 'vnd.plinth.service': 600 },
    });
    expect(verified.header).toEqual({
      alg: 'HS256',
      typ: 'vnd.plinth.service',
    });
    expect(verified.payload).toEqual(claims());
    expect(verified.expiresAt).toEqual(new Date((now + 600) * 1000));
  });

  it('verifies an EdDSA token with the public key alone', () => {
    const token = signJws(claims(), edKey);
    expect(verifyJws(token, { keys: [edPublic], now }).header).toEqual({
      alg: 'EdDSA',
      kid: 'ed-1',
    });
  });

  it('verifies with any of several keys, for rotation', () => {
    const token = signJws(claims(), otherHsKey);
    expect(
      verifyJws(token, { keys: [hsKey, otherHsKey], now }).payload.sub,
    ).toBe('plugin:todo');
  });

  it('accepts an audience list that includes the expected audience', () => {
    const token = signJws(claims({ aud: ['search', 'catalog'] }), hsKey);
    expect(() =>
      verifyJws(token, { keys: [hsKey], now, audience: 'catalog' }),
    ).not.toThrow();
  });

  it('reads the type from the header when the payload has none', () => {
    const token = signJws(claims(), hsKey, { typ: 'vnd.backstage.user' });
    expect(() =>
      verifyJws(token, {
        keys: [hsKey],
        now,
        maxLifetimes: { 'vnd.backstage.user': 600 },
      }),
    ).not.toThrow();
  });

  it('allows clock drift within the tolerance', () => {
    const token = signJws(
      claims({ iat: now + 20, exp: now - 10 + 600 }),
      hsKey,
    );
    expect(() =>
      verifyJws(token, {
        keys: [hsKey],
        now: now + 600,
        clockToleranceSeconds: 30,
      }),
    ).not.toThrow();
  });

  it('rejects a token with the wrong number of parts', () => {
    expect(rejection('abc.def')).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: it has 2 dot-separated parts, not 3; a token is three base64url parts separated by dots.',
    });
    expect(rejection('opaque').message).toBe(
      'Invalid token: it has 1 dot-separated part, not 3; a token is three base64url parts separated by dots.',
    );
  });

  it('rejects a token longer than 16384 characters', () => {
    expect(rejection('a'.repeat(16385))).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: it is 16385 characters long, more than the 16384 allowed; a token is three base64url parts separated by dots.',
    });
  });

  it('rejects a header that is not base64url', () => {
    const [, payload, signature] = signJws(claims(), hsKey).split('.');
    expect(rejection(`eyJ+YWxn.${payload}.${signature}`)).toEqual({
      reason: 'bad-encoding',
      message:
        'Invalid token: its header is not valid base64url; use the URL-safe alphabet without padding (RFC 4648 section 5).',
    });
  });

  it('rejects padded base64url and non-canonical trailing bits', () => {
    const [header, payload, signature] = signJws(claims(), hsKey).split('.');
    expect(rejection(`${header}.${payload}=.${signature}`).message).toBe(
      'Invalid token: its payload is not valid base64url; use the URL-safe alphabet without padding (RFC 4648 section 5).',
    );
    // 'QB' decodes to the same byte as 'QA' but is not how it encodes.
    expect(rejection(`${header}.${payload}.QB`)).toEqual({
      reason: 'bad-encoding',
      message:
        'Invalid token: its signature is not valid base64url; use the URL-safe alphabet without padding (RFC 4648 section 5).',
    });
    expect(rejection(`${header}.${payload}.A`).reason).toBe('bad-encoding');
  });

  it('rejects a header that is not JSON', () => {
    expect(
      rejection(
        signRaw(Buffer.from('{alg').toString('base64url'), encode(claims())),
      ),
    ).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: its header is not JSON; a token is three base64url parts separated by dots.',
    });
  });

  it('rejects a payload that is not a JSON object', () => {
    expect(rejection(signRaw(encode({ alg: 'HS256' }), encode([1])))).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: its payload is not a JSON object; a token is three base64url parts separated by dots.',
    });
  });

  it('rejects a header without alg', () => {
    expect(
      rejection(signRaw(encode({ typ: 'JWT' }), encode(claims()))),
    ).toEqual({
      reason: 'malformed',
      message:
        "Invalid token: its header has no 'alg'; a token is three base64url parts separated by dots.",
    });
  });

  it('rejects alg none in any case, with or without a signature', () => {
    const unsigned = `${encode({ alg: 'none' })}.${encode(claims())}.`;
    expect(rejection(unsigned)).toEqual({
      reason: 'alg-none',
      message:
        "Invalid token: its header has alg 'none', so it is not signed; only signed tokens are accepted.",
    });
    expect(
      rejection(signRaw(encode({ alg: 'None' }), encode(claims()))).reason,
    ).toBe('alg-none');
  });

  it('rejects critical header extensions', () => {
    expect(
      rejection(
        signRaw(encode({ alg: 'HS256', crit: ['b64'] }), encode(claims())),
      ),
    ).toEqual({
      reason: 'malformed',
      message:
        "Invalid token: its header lists critical extensions ('crit'), which are not supported; a token is three base64url parts separated by dots.",
    });
  });

  it('rejects an empty signature', () => {
    const [header, payload] = signJws(claims(), hsKey).split('.');
    expect(rejection(`${header}.${payload}.`)).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: its signature is empty; a token is three base64url parts separated by dots.',
    });
  });

  it('rejects an algorithm that no key uses', () => {
    expect(rejection(signJws(claims(), edKey))).toEqual({
      reason: 'alg-mismatch',
      message:
        "Invalid token: it is signed with alg 'EdDSA', but the available keys use 'HS256'; sign it with one of those.",
    });
  });

  it('rejects an HS256 token whose secret is the EdDSA public key', () => {
    const publicPem = edPair.publicKey.export({ type: 'spki', format: 'pem' });
    const forged = signJws(claims(), {
      alg: 'HS256',
      secret: createSecretKey(Buffer.from(publicPem)),
    });
    expect(rejection(forged, { keys: [edPublic] }).reason).toBe('alg-mismatch');
  });

  it('rejects a token signed with another key', () => {
    expect(rejection(signJws(claims(), otherHsKey))).toEqual({
      reason: 'bad-signature',
      message:
        'Invalid token: its signature matches none of the available keys; it was signed with another key or altered.',
    });
  });

  it('rejects a token whose payload was altered', () => {
    const [header, , signature] = signJws(claims(), hsKey).split('.');
    const altered = `${header}.${encode(claims({ sub: 'plugin:admin' }))}.${signature}`;
    expect(rejection(altered).reason).toBe('bad-signature');
  });

  it('rejects an EdDSA token whose kid names another key', () => {
    const other = generateKeyPairSync('ed25519');
    const token = signJws(claims(), { ...edKey, kid: 'ed-2', ...other });
    expect(rejection(token, { keys: [edPublic] }).reason).toBe('bad-signature');
  });

  it('rejects an EdDSA signature of the wrong length', () => {
    const [header, payload] = signJws(claims(), edKey).split('.');
    expect(
      rejection(`${header}.${payload}.AAAA`, { keys: [edPublic] }).reason,
    ).toBe('bad-signature');
  });

  it('rejects a token without exp', () => {
    expect(rejection(signJws(claims({ exp: undefined }), hsKey))).toEqual({
      reason: 'invalid-claim',
      message:
        "Invalid token: claim 'exp' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.",
    });
  });

  it('rejects a token without iat', () => {
    expect(rejection(signJws(claims({ iat: undefined }), hsKey))).toEqual({
      reason: 'invalid-claim',
      message:
        "Invalid token: claim 'iat' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.",
    });
  });

  it.each([
    ['exp', 1e300],
    ['exp', now + 600.5],
    ['exp', Number.MAX_SAFE_INTEGER + 2],
    ['exp', 9_000_000_000_000],
    ['iat', -1],
    ['iat', now - 0.5],
    ['iat', String(now)],
    ['nbf', 'soon'],
    ['nbf', 1e300],
  ])(
    'rejects %s %p, which is no whole second a date can hold',
    (claim, value) => {
      expect(rejection(signJws(claims({ [claim]: value }), hsKey))).toEqual({
        reason: 'invalid-claim',
        message: `Invalid token: claim '${claim}' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.`,
      });
    },
  );

  it('rejects a token whose exp is not after its iat', () => {
    const message =
      "Invalid token: claim 'exp' must be later than its 'iat'; ask its issuer for a token with standard JWT claims.";
    expect(rejection(signJws(claims({ exp: now - 60 }), hsKey))).toEqual({
      reason: 'invalid-claim',
      message,
    });
    expect(rejection(signJws(claims({ exp: now }), hsKey)).message).toBe(
      message,
    );
  });

  it('rejects an expired token, including at the exact second of expiry', () => {
    const issued = claims({ iat: now - 600 });
    expect(rejection(signJws({ ...issued, exp: now - 1 }, hsKey))).toEqual({
      reason: 'expired',
      message:
        'Invalid token: it expired at 2023-11-14T22:13:19.000Z; request a new one.',
    });
    expect(rejection(signJws({ ...issued, exp: now }, hsKey)).reason).toBe(
      'expired',
    );
  });

  it('rejects a token that is not valid yet by nbf or iat', () => {
    expect(rejection(signJws(claims({ nbf: now + 60 }), hsKey))).toEqual({
      reason: 'not-yet-valid',
      message:
        "Invalid token: it is not valid before 2023-11-14T22:14:20.000Z; check that the issuer's clock is in sync.",
    });
    expect(rejection(signJws(claims({ iat: now + 60 }), hsKey))).toEqual({
      reason: 'not-yet-valid',
      message:
        "Invalid token: it is not valid before 2023-11-14T22:14:20.000Z; check that the issuer's clock is in sync.",
    });
  });

  it('rejects a token meant for another audience', () => {
    expect(rejection(signJws(claims(), hsKey), { audience: 'search' })).toEqual(
      {
        reason: 'wrong-audience',
        message:
          "Invalid token: it is meant for 'catalog', not 'search'; request a token for 'search'.",
      },
    );
    expect(
      rejection(signJws(claims({ aud: undefined }), hsKey), {
        audience: 'search',
      }).message,
    ).toBe(
      "Invalid token: it is meant for no audience, not 'search'; request a token for 'search'.",
    );
  });

  it('rejects an audience that is not a string or a list of strings', () => {
    expect(
      rejection(signJws(claims({ aud: [1] }), hsKey), { audience: 'catalog' }),
    ).toEqual({
      reason: 'invalid-claim',
      message:
        "Invalid token: claim 'aud' must be a string or an array of strings; ask its issuer for a token with standard JWT claims.",
    });
  });

  it('rejects a token from another issuer', () => {
    expect(
      rejection(signJws(claims({ iss: 'https://evil' }), hsKey), {
        issuer: 'https://idp',
      }),
    ).toEqual({
      reason: 'wrong-issuer',
      message:
        "Invalid token: it was issued by 'https://evil', not 'https://idp'; use a token from 'https://idp'.",
    });
    expect(
      rejection(signJws(claims(), hsKey), { issuer: 'https://idp' }).message,
    ).toBe(
      "Invalid token: it was issued by no issuer, not 'https://idp'; use a token from 'https://idp'.",
    );
  });

  it('rejects a token of another type', () => {
    const maxLifetimes = {
      'vnd.plinth.service': 600,
      'vnd.backstage.user': 600,
    };
    expect(
      rejection(signJws(claims({ typ: 'id-token' }), hsKey), { maxLifetimes }),
    ).toEqual({
      reason: 'wrong-type',
      message:
        "Invalid token: it has type 'id-token', but only 'vnd.plinth.service', 'vnd.backstage.user' are accepted here.",
    });
    expect(rejection(signJws(claims(), hsKey), { maxLifetimes }).message).toBe(
      "Invalid token: it has type none, but only 'vnd.plinth.service', 'vnd.backstage.user' are accepted here.",
    );
  });

  it('rejects a type that only the object prototype has', () => {
    expect(
      rejection(signJws(claims({ typ: 'constructor' }), hsKey), {
        maxLifetimes: { x: 600 },
      }).reason,
    ).toBe('wrong-type');
  });

  it('rejects a typ claim that is not a string', () => {
    expect(
      rejection(signJws(claims({ typ: 5 }), hsKey), {
        maxLifetimes: { x: 600 },
      }).message,
    ).toBe(
      "Invalid token: claim 'typ' must be a string; ask its issuer for a token with standard JWT claims.",
    );
  });

  it("accepts a token that lives exactly its type's maximum", () => {
    const token = signJws(claims({ typ: 'x', exp: now + 600 }), hsKey);
    expect(
      verifyJws(token, { keys: [hsKey], now, maxLifetimes: { x: 600 } })
        .expiresAt,
    ).toEqual(new Date((now + 600) * 1000));
  });

  it("rejects a token that lives longer than its type's maximum", () => {
    const maxLifetimes = { x: 600, y: 3600 };
    expect(
      rejection(signJws(claims({ typ: 'x', exp: now + 601 }), hsKey), {
        maxLifetimes,
      }),
    ).toEqual({
      reason: 'lifetime-too-long',
      message:
        "Invalid token: it is valid for 601 seconds, longer than the 600 that type 'x' allows; issue shorter-lived tokens.",
    });
    const century = 100 * 365 * 86400;
    expect(
      rejection(signJws(claims({ typ: 'y', exp: now + century }), hsKey), {
        maxLifetimes,
      }).message,
    ).toBe(
      `Invalid token: it is valid for ${century} seconds, longer than the 3600 that type 'y' allows; issue shorter-lived tokens.`,
    );
  });

  it('checks the signature before the claims', () => {
    const token = signJws(claims({ exp: now - 1 }), otherHsKey);
    expect(rejection(token).reason).toBe('bad-signature');
  });
});
