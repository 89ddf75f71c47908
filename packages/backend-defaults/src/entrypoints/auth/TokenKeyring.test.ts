import { createHmac, createSecretKey, generateKeyPairSync } from 'node:crypto';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { InvalidTokenError } from './InvalidTokenError';
import { signJws } from './signJws.fixture';
import { clockToleranceSeconds, TokenKeyring } from './TokenKeyring';

const now = 1_700_000_000;
const secret = 'a-secret-that-is-long-enough-1234';
const otherSecret = 'another-secret-long-enough-567890';
const hsKey = {
  alg: 'HS256' as const,
  secret: createSecretKey(Buffer.from(secret)),
};
const otherHsKey = {
  alg: 'HS256' as const,
  secret: createSecretKey(Buffer.from(otherSecret)),
};
const edPair = generateKeyPairSync('ed25519');
const edKey = {
  alg: 'EdDSA' as const,
  kid: 'ed-1',
  privateKey: edPair.privateKey,
};
const hsKeyring = TokenKeyring.fromSecrets([secret]);
const edKeyring = TokenKeyring.fromKeyPair({ kid: 'ed-1', ...edPair });
const serviceType = { 'vnd.plinth.service': 600 };

const claims = (extra: JsonObject = {}): JsonObject => ({
  typ: 'vnd.plinth.service',
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

/** Verifies `token` at `at`, seconds since the epoch. */
function verify(
  token: string,
  options: {
    keyring?: TokenKeyring;
    maxLifetimes?: Record<string, number>;
    at?: number;
  } = {},
) {
  jest.spyOn(Date, 'now').mockReturnValue((options.at ?? now) * 1000);
  const keyring = options.keyring ?? hsKeyring;
  return keyring.verify(token, options.maxLifetimes ?? serviceType);
}

async function rejection(
  token: string,
  options: Parameters<typeof verify>[1] = {},
) {
  try {
    await verify(token, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    const { reason, message } = error as InvalidTokenError;
    return { reason, message };
  }
  throw new Error('expected TokenKeyring.verify to throw');
}

describe('TokenKeyring', () => {
  it('signs a payload that it verifies, with the type also in the header', async () => {
    const token = await hsKeyring.sign({
      ...claims(),
      typ: 'vnd.plinth.service',
    });
    const verified = await verify(token);
    expect(verified.header).toEqual({
      alg: 'HS256',
      typ: 'vnd.plinth.service',
    });
    expect(verified.payload).toEqual(claims());
    const edToken = await edKeyring.sign({
      ...claims(),
      typ: 'vnd.plinth.service',
    });
    await expect(
      verify(edToken, { keyring: edKeyring }),
    ).resolves.toMatchObject({
      header: { alg: 'EdDSA', kid: 'ed-1', typ: 'vnd.plinth.service' },
    });
  });

  it('lists the public key of a key pair as a JWK, and none for secrets', () => {
    expect(edKeyring.listPublicKeys()).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: 'ed-1',
        alg: 'EdDSA',
        use: 'sig',
      },
    ]);
    expect(hsKeyring.listPublicKeys()).toEqual([]);
  });

  it('verifies an HS256 token and returns its claims and expiry', async () => {
    const token = signJws(claims({ typ: undefined }), hsKey, {
      typ: 'vnd.plinth.service',
    });
    const verified = await verify(token);
    expect(verified.header).toEqual({
      alg: 'HS256',
      typ: 'vnd.plinth.service',
    });
    expect(verified.payload).toEqual(claims({ typ: undefined }));
    expect(verified.expiresAt).toEqual(new Date((now + 600) * 1000));
  });

  it('verifies an EdDSA token against the public half of its key pair', async () => {
    const token = signJws(claims(), edKey);
    expect((await verify(token, { keyring: edKeyring })).header).toEqual({
      alg: 'EdDSA',
      kid: 'ed-1',
    });
  });

  it('verifies with any of several keys, for rotation', async () => {
    const token = signJws(claims(), otherHsKey);
    const keyring = TokenKeyring.fromSecrets([secret, otherSecret]);
    expect((await verify(token, { keyring })).payload.sub).toBe('plugin:todo');
  });

  it('reads the type from the header when the payload has none', async () => {
    const token = signJws(claims({ typ: undefined }), hsKey, {
      typ: 'vnd.backstage.user',
    });
    await expect(
      verify(token, { maxLifetimes: { 'vnd.backstage.user': 600 } }),
    ).resolves.toBeDefined();
  });

  it('allows clock drift within the tolerance', async () => {
    expect(clockToleranceSeconds).toBe(30);
    const token = signJws(
      claims({ iat: now + 20, exp: now - 10 + 600 }),
      hsKey,
    );
    await expect(verify(token, { at: now + 600 })).resolves.toBeDefined();
  });

  it('rejects a token with the wrong number of parts', async () => {
    expect(await rejection('abc.def')).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: it has 2 dot-separated parts, not 3; a token is three base64url parts separated by dots.',
    });
    expect((await rejection('opaque')).message).toBe(
      'Invalid token: it has 1 dot-separated part, not 3; a token is three base64url parts separated by dots.',
    );
  });

  it('rejects a token longer than 16384 characters', async () => {
    expect(await rejection('a'.repeat(16385))).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: it is 16385 characters long, more than the 16384 allowed; a token is three base64url parts separated by dots.',
    });
  });

  it('rejects a header that is not base64url', async () => {
    const [, payload, signature] = signJws(claims(), hsKey).split('.');
    expect(await rejection(`eyJ+YWxn.${payload}.${signature}`)).toEqual({
      reason: 'bad-encoding',
      message:
        'Invalid token: its header is not valid base64url; use the URL-safe alphabet without padding (RFC 4648 section 5).',
    });
  });

  it('rejects padded base64url and non-canonical trailing bits', async () => {
    const [header, payload, signature] = signJws(claims(), hsKey).split('.');
    expect(
      (await rejection(`${header}.${payload}=.${signature}`)).message,
    ).toBe(
      'Invalid token: its payload is not valid base64url; use the URL-safe alphabet without padding (RFC 4648 section 5).',
    );
    // 'QB' decodes to the same byte as 'QA' but is not how it encodes.
    expect(await rejection(`${header}.${payload}.QB`)).toEqual({
      reason: 'bad-encoding',
      message:
        'Invalid token: its signature is not valid base64url; use the URL-safe alphabet without padding (RFC 4648 section 5).',
    });
    expect((await rejection(`${header}.${payload}.A`)).reason).toBe(
      'bad-encoding',
    );
  });

  it('rejects a header that is not JSON', async () => {
    expect(
      await rejection(
        signRaw(Buffer.from('{alg').toString('base64url'), encode(claims())),
      ),
    ).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: its header is not JSON; a token is three base64url parts separated by dots.',
    });
  });

  it('rejects a payload that is not a JSON object', async () => {
    expect(
      await rejection(signRaw(encode({ alg: 'HS256' }), encode([1]))),
    ).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: its payload is not a JSON object; a token is three base64url parts separated by dots.',
    });
  });

  it('rejects a header without alg', async () => {
    expect(
      await rejection(signRaw(encode({ typ: 'JWT' }), encode(claims()))),
    ).toEqual({
      reason: 'malformed',
      message:
        "Invalid token: its header has no 'alg'; a token is three base64url parts separated by dots.",
    });
  });

  it('rejects alg none in any case, with or without a signature', async () => {
    const unsigned = `${encode({ alg: 'none' })}.${encode(claims())}.`;
    expect(await rejection(unsigned)).toEqual({
      reason: 'alg-none',
      message:
        "Invalid token: its header has alg 'none', so it is not signed; only signed tokens are accepted.",
    });
    expect(
      (await rejection(signRaw(encode({ alg: 'None' }), encode(claims()))))
        .reason,
    ).toBe('alg-none');
  });

  it('rejects critical header extensions', async () => {
    expect(
      await rejection(
        signRaw(encode({ alg: 'HS256', crit: ['b64'] }), encode(claims())),
      ),
    ).toEqual({
      reason: 'malformed',
      message:
        "Invalid token: its header lists critical extensions ('crit'), which are not supported; a token is three base64url parts separated by dots.",
    });
  });

  it('rejects an empty signature', async () => {
    const [header, payload] = signJws(claims(), hsKey).split('.');
    expect(await rejection(`${header}.${payload}.`)).toEqual({
      reason: 'malformed',
      message:
        'Invalid token: its signature is empty; a token is three base64url parts separated by dots.',
    });
  });

  it('rejects an algorithm that no key uses', async () => {
    expect(await rejection(signJws(claims(), edKey))).toEqual({
      reason: 'alg-mismatch',
      message:
        "Invalid token: it is signed with alg 'EdDSA', but the available keys use 'HS256'; sign it with one of those.",
    });
  });

  it('rejects an HS256 token whose secret is the EdDSA public key', async () => {
    const publicPem = edPair.publicKey.export({ type: 'spki', format: 'pem' });
    const forged = signJws(claims(), {
      alg: 'HS256',
      secret: createSecretKey(Buffer.from(publicPem)),
    });
    expect((await rejection(forged, { keyring: edKeyring })).reason).toBe(
      'alg-mismatch',
    );
  });

  it('rejects a token signed with another key', async () => {
    expect(await rejection(signJws(claims(), otherHsKey))).toEqual({
      reason: 'bad-signature',
      message:
        'Invalid token: its signature matches none of the available keys; it was signed with another key or altered.',
    });
  });

  it('rejects a token whose payload was altered', async () => {
    const [header, , signature] = signJws(claims(), hsKey).split('.');
    const altered = `${header}.${encode(claims({ sub: 'plugin:admin' }))}.${signature}`;
    expect((await rejection(altered)).reason).toBe('bad-signature');
  });

  it('rejects an EdDSA token whose kid names another key', async () => {
    const other = generateKeyPairSync('ed25519');
    const token = signJws(claims(), { ...edKey, kid: 'ed-2', ...other });
    expect((await rejection(token, { keyring: edKeyring })).reason).toBe(
      'bad-signature',
    );
  });

  it('rejects an EdDSA signature of the wrong length', async () => {
    const [header, payload] = signJws(claims(), edKey).split('.');
    expect(
      (await rejection(`${header}.${payload}.AAAA`, { keyring: edKeyring }))
        .reason,
    ).toBe('bad-signature');
  });

  it('rejects a token without exp', async () => {
    expect(await rejection(signJws(claims({ exp: undefined }), hsKey))).toEqual(
      {
        reason: 'invalid-claim',
        message:
          "Invalid token: claim 'exp' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.",
      },
    );
  });

  it('rejects a token without iat', async () => {
    expect(await rejection(signJws(claims({ iat: undefined }), hsKey))).toEqual(
      {
        reason: 'invalid-claim',
        message:
          "Invalid token: claim 'iat' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.",
      },
    );
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
    async (claim, value) => {
      expect(
        await rejection(signJws(claims({ [claim]: value }), hsKey)),
      ).toEqual({
        reason: 'invalid-claim',
        message: `Invalid token: claim '${claim}' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.`,
      });
    },
  );

  it('rejects a token whose exp is not after its iat', async () => {
    const message =
      "Invalid token: claim 'exp' must be later than its 'iat'; ask its issuer for a token with standard JWT claims.";
    expect(await rejection(signJws(claims({ exp: now - 60 }), hsKey))).toEqual({
      reason: 'invalid-claim',
      message,
    });
    expect(
      (await rejection(signJws(claims({ exp: now }), hsKey))).message,
    ).toBe(message);
  });

  it('rejects an expired token, including at the exact second of expiry plus the tolerance', async () => {
    const issued = claims({ iat: now - 600 });
    const at = now + clockToleranceSeconds;
    expect(
      await rejection(signJws({ ...issued, exp: now - 1 }, hsKey), { at }),
    ).toEqual({
      reason: 'expired',
      message:
        'Invalid token: it expired at 2023-11-14T22:13:19.000Z; request a new one.',
    });
    expect(
      (await rejection(signJws({ ...issued, exp: now }, hsKey), { at })).reason,
    ).toBe('expired');
  });

  it('rejects a token that is not valid yet by nbf or iat', async () => {
    expect(await rejection(signJws(claims({ nbf: now + 60 }), hsKey))).toEqual({
      reason: 'not-yet-valid',
      message:
        "Invalid token: it is not valid before 2023-11-14T22:14:20.000Z; check that the issuer's clock is in sync.",
    });
    expect(await rejection(signJws(claims({ iat: now + 60 }), hsKey))).toEqual({
      reason: 'not-yet-valid',
      message:
        "Invalid token: it is not valid before 2023-11-14T22:14:20.000Z; check that the issuer's clock is in sync.",
    });
  });

  it('rejects a token of another type', async () => {
    const maxLifetimes = {
      'vnd.plinth.service': 600,
      'vnd.backstage.user': 600,
    };
    expect(
      await rejection(signJws(claims({ typ: 'id-token' }), hsKey), {
        maxLifetimes,
      }),
    ).toEqual({
      reason: 'wrong-type',
      message:
        "Invalid token: it has type 'id-token', but only 'vnd.plinth.service', 'vnd.backstage.user' are accepted here.",
    });
    expect(
      (
        await rejection(signJws(claims({ typ: undefined }), hsKey), {
          maxLifetimes,
        })
      ).message,
    ).toBe(
      "Invalid token: it has type none, but only 'vnd.plinth.service', 'vnd.backstage.user' are accepted here.",
    );
  });

  it('rejects a type that only the object prototype has', async () => {
    expect(
      (
        await rejection(signJws(claims({ typ: 'constructor' }), hsKey), {
          maxLifetimes: { x: 600 },
        })
      ).reason,
    ).toBe('wrong-type');
  });

  it('rejects a typ claim that is not a string', async () => {
    expect(
      (
        await rejection(signJws(claims({ typ: 5 }), hsKey), {
          maxLifetimes: { x: 600 },
        })
      ).message,
    ).toBe(
      "Invalid token: claim 'typ' must be a string; ask its issuer for a token with standard JWT claims.",
    );
  });

  it("accepts a token that lives exactly its type's maximum", async () => {
    const token = signJws(claims({ typ: 'x', exp: now + 600 }), hsKey);
    expect(
      (await verify(token, { maxLifetimes: { x: 600 } })).expiresAt,
    ).toEqual(new Date((now + 600) * 1000));
  });

  it("rejects a token that lives longer than its type's maximum", async () => {
    const maxLifetimes = { x: 600, y: 3600 };
    expect(
      await rejection(signJws(claims({ typ: 'x', exp: now + 601 }), hsKey), {
        maxLifetimes,
      }),
    ).toEqual({
      reason: 'lifetime-too-long',
      message:
        "Invalid token: it is valid for 601 seconds, longer than the 600 that type 'x' allows; issue shorter-lived tokens.",
    });
    const century = 100 * 365 * 86400;
    expect(
      (
        await rejection(
          signJws(claims({ typ: 'y', exp: now + century }), hsKey),
          { maxLifetimes },
        )
      ).message,
    ).toBe(
      `Invalid token: it is valid for ${century} seconds, longer than the 3600 that type 'y' allows; issue shorter-lived tokens.`,
    );
  });

  it('checks the signature before the claims', async () => {
    const token = signJws(claims({ exp: now - 1 }), otherHsKey);
    expect((await rejection(token)).reason).toBe('bad-signature');
  });
});
