import type { JsonObject } from '@plinth/backend-plugin-api';
import { ConfigReader } from '../../../config';
import { HostAllowList } from './HostAllowList';

function allowListOf(allow: JsonObject[]): HostAllowList {
  return HostAllowList.fromConfig(
    new ConfigReader({ backend: { reading: { allow } } }),
  );
}

describe('HostAllowList', () => {
  it.each([
    // [rule host, paths, url, allowed]
    ['example.com', undefined, 'https://example.com/a', true],
    ['example.com', undefined, 'http://example.com/a', true],
    ['example.com', undefined, 'https://EXAMPLE.com./a', true],
    ['EXAMPLE.COM', undefined, 'https://example.com/a', true],
    ['example.com', undefined, 'https://sub.example.com/a', false],
    ['example.com', undefined, 'https://example.com.evil.net/a', false],
    ['example.com', undefined, 'https://badexample.com/a', false],
    ['*.example.com', undefined, 'https://sub.example.com/a', true],
    ['*.example.com', undefined, 'https://a.b.example.com/a', true],
    ['*.example.com', undefined, 'https://example.com/a', false],
    ['*.example.com', undefined, 'https://badexample.com/a', false],
    ['example.com', undefined, 'https://example.com:8443/a', false],
    ['example.com', undefined, 'https://example.com:443/a', true],
    ['example.com', undefined, 'http://example.com:443/a', false],
    ['example.com:8443', undefined, 'https://example.com:8443/a', true],
    ['example.com:8443', undefined, 'https://example.com/a', false],
    ['example.com:443', undefined, 'https://example.com/a', true],
    ['127.0.0.1:1024-65535', undefined, 'http://127.0.0.1:1024/a', true],
    ['127.0.0.1:1024-65535', undefined, 'http://127.0.0.1:65535/a', true],
    ['127.0.0.1:1024-65535', undefined, 'http://127.0.0.1:1023/a', false],
    ['127.0.0.1:1024-65535', undefined, 'http://127.0.0.1/a', false],
    ['[::1]:8080', undefined, 'http://[::1]:8080/a', true],
    ['[0:0:0:0:0:0:0:1]', undefined, 'http://[::1]/a', true],
    ['example.com', ['/docs'], 'https://example.com/docs', true],
    ['example.com', ['/docs'], 'https://example.com/docs/', true],
    ['example.com', ['/docs/'], 'https://example.com/docs/a/b', true],
    ['example.com', ['/docs'], 'https://example.com/docs2/a', false],
    ['example.com', ['/docs'], 'https://example.com/a/docs', false],
    ['example.com', ['/docs'], 'https://example.com/docs/../admin', false],
    ['example.com', ['/docs'], 'https://example.com/docs/%2e%2e/admin', false],
    ['example.com', ['/docs'], 'https://example.com/docs%2F..%2Fadmin', false],
    ['example.com', ['/docs'], 'https://example.com/docs/..%2fadmin', false],
    ['example.com', ['/docs'], 'https://example.com/docs/..%2Fadmin', false],
    ['example.com', ['/docs'], 'https://example.com/docs/..%5cadmin', false],
    ['example.com', ['/docs'], 'https://example.com/docs/.%2e/admin', false],
    ['example.com', ['/docs'], 'https://example.com/docs/a%zz', false],
    ['example.com', ['/docs'], 'https://example.com/docs/a%c0%af', false],
    ['example.com', ['/docs'], 'https://example.com/%64ocs/a', true],
    ['example.com', ['/docs'], 'https://example.com/docs/%252f', true],
    ['example.com', ['/my docs'], 'https://example.com/my%20docs/a', true],
    ['example.com', ['/my%20docs'], 'https://example.com/my docs/a', true],
    ['example.com', undefined, 'https://example.com/api/a%2Fb', true],
    ['example.com', undefined, 'https://example.com/api/a%zz', true],
    ['example.com', ['/'], 'https://example.com/anything', true],
    ['example.com', ['/a', '/b'], 'https://example.com/b/c', true],
  ] as const)(
    "matches rule '%s' with paths %j against '%s' as %s",
    (host, paths, url, allowed) => {
      const rule: JsonObject = paths ? { host, paths: [...paths] } : { host };
      expect(allowListOf([rule]).match(new URL(url)).allowed).toBe(allowed);
    },
  );

  it('prefers a rule that names the host exactly over a wildcard', () => {
    const match = allowListOf([
      { host: '*.example.com' },
      { host: 'internal.example.com' },
    ]).match(new URL('https://internal.example.com/a'));
    expect(match).toEqual({
      allowed: true,
      rule: expect.objectContaining({ host: 'internal.example.com' }),
    });
  });

  it('explains a host that matches no rule', () => {
    expect(
      allowListOf([{ host: 'example.com' }]).match(
        new URL('https://evil.net:8080/a'),
      ),
    ).toEqual({
      allowed: false,
      reason: "host 'evil.net' matches no rule in 'backend.reading.allow'",
      fix: "To allow it, add { host: 'evil.net:8080' } to 'backend.reading.allow'.",
    });
  });

  it('explains a port that no rule for the host allows', () => {
    expect(
      allowListOf([{ host: 'example.com' }]).match(
        new URL('https://example.com:8443/a'),
      ),
    ).toEqual({
      allowed: false,
      reason:
        "port 8443 matches no rule for host 'example.com' in 'backend.reading.allow' ('example.com')",
      fix: "To allow it, add { host: 'example.com:8443' } to 'backend.reading.allow'.",
    });
  });

  it('explains that a rule with a port does not cover the default port', () => {
    expect(
      allowListOf([{ host: 'example.com:8443' }]).match(
        new URL('http://example.com/a'),
      ),
    ).toEqual({
      allowed: false,
      reason:
        "the default port matches no rule for host 'example.com' in 'backend.reading.allow' ('example.com:8443')",
      fix: "To allow it, add { host: 'example.com' } to 'backend.reading.allow'.",
    });
  });

  it('explains a path outside the allowed prefixes', () => {
    expect(
      allowListOf([
        { host: 'example.com', paths: ['/docs', '/public/'] },
      ]).match(new URL('https://example.com/admin/x')),
    ).toEqual({
      allowed: false,
      reason:
        "path '/admin/x' is not below the paths allowed for host 'example.com' in 'backend.reading.allow' ('/docs', '/public')",
      fix: "To allow it, add a prefix of it to the paths of that rule in 'backend.reading.allow'.",
    });
  });

  it('refuses a path with an encoded separator when every rule for the host limits paths', () => {
    expect(
      allowListOf([{ host: 'example.com', paths: ['/docs'] }]).match(
        new URL('https://example.com/docs/..%2Fadmin'),
      ),
    ).toEqual({
      allowed: false,
      reason:
        "path '/docs/..%2Fadmin' has an encoded separator ('%2F'), and every rule for host 'example.com' in 'backend.reading.allow' limits paths, which cannot be checked on such a path",
      fix: "Write the path with plain '/' separators and escapes that decode to UTF-8 text.",
    });
  });

  it('refuses a path with an escape that does not decode when every rule for the host limits paths', () => {
    expect(
      allowListOf([{ host: 'example.com', paths: ['/docs'] }]).match(
        new URL('https://example.com/docs/a%E9b'),
      ),
    ).toEqual({
      allowed: false,
      reason:
        "path '/docs/a%E9b' has a percent escape that does not decode ('a%E9b'), and every rule for host 'example.com' in 'backend.reading.allow' limits paths, which cannot be checked on such a path",
      fix: "Write the path with plain '/' separators and escapes that decode to UTF-8 text.",
    });
  });

  it('allows a path with an encoded separator through a rule for the host without paths', () => {
    const match = allowListOf([
      { host: 'example.com', paths: ['/docs'] },
      { host: 'example.com', paths: ['/api'] },
      { host: '*.example.com' },
      { host: 'git.example.com' },
    ]).match(new URL('https://git.example.com/api/v4/projects/a%2Fb'));
    expect(match).toEqual({
      allowed: true,
      rule: expect.objectContaining({ host: 'git.example.com' }),
    });
  });

  it('compares paths after decoding them and applying dot segments', () => {
    const allowList = allowListOf([{ host: 'example.com', paths: ['/docs'] }]);
    expect(
      allowList.match(
        new URL('https://example.com/docs/a/%2e%2e/%2E%2E/admin'),
      ),
    ).toEqual({
      allowed: false,
      reason:
        "path '/admin' is not below the paths allowed for host 'example.com' in 'backend.reading.allow' ('/docs')",
      fix: "To allow it, add a prefix of it to the paths of that rule in 'backend.reading.allow'.",
    });
  });

  it('allows nothing when no rules are configured', () => {
    const allowList = HostAllowList.fromConfig(new ConfigReader({}));
    expect(allowList.match(new URL('https://example.com/')).allowed).toBe(
      false,
    );
  });

  it.each([
    ['https://example.com'],
    ['example.com/docs'],
    ['*.*.example.com'],
    ['exa_mple.com'],
    ['example.com:0'],
    ['example.com:65536'],
    ['example.com:9000-8000'],
    ['example.com:'],
    ['*.127.0.0.1'],
    ['*.[::1]'],
    ['*'],
  ])("rejects the host '%s'", host => {
    expect(() => allowListOf([{ host }])).toThrow(
      `Invalid config at 'backend.reading.allow[0].host' (mock-config): expected a host such as 'example.com', '*.example.com', 'example.com:8080' or '127.0.0.1:1024-65535', got ${JSON.stringify(host)}.`,
    );
  });

  it('rejects a path that does not start with a slash', () => {
    expect(() =>
      allowListOf([
        { host: 'example.com' },
        { host: 'a.com', paths: ['docs'] },
      ]),
    ).toThrow(
      `Invalid config at 'backend.reading.allow[1].paths[0]' (mock-config): expected a path starting with '/' and without encoded separators, such as '/docs', got "docs".`,
    );
  });

  it('rejects a path with an encoded separator', () => {
    expect(() =>
      allowListOf([{ host: 'example.com', paths: ['/docs%2Fadmin'] }]),
    ).toThrow(
      `Invalid config at 'backend.reading.allow[0].paths[0]' (mock-config): expected a path starting with '/' and without encoded separators, such as '/docs', got "/docs%2Fadmin".`,
    );
  });

  it('rejects an entry without a host', () => {
    expect(() => allowListOf([{ paths: ['/docs'] }])).toThrow(
      "Missing required config value at 'backend.reading.allow[0].host'; set it in 'mock-config'.",
    );
  });

  it('refuses header names it must set itself and values over several lines, without showing the value', () => {
    const read = (headers: JsonObject) =>
      HostAllowList.fromConfig(
        new ConfigReader({
          backend: { reading: { allow: [{ host: 'example.com', headers }] } },
        }),
      );
    expect(() => read({ Host: 'evil.test' })).toThrow(
      "Invalid config at 'backend.reading.allow[0].headers.Host' (mock-config): expected a header name other than 'Host', 'Content-Length', 'Transfer-Encoding', 'Connection' and 'Accept-Encoding', such as 'Authorization', got \"Host\".",
    );
    expect(() =>
      read({ Authorization: 'token s3cr3t\r\nX-Injected: 1' }),
    ).toThrow(
      "Invalid config at 'backend.reading.allow[0].headers.Authorization' (mock-config): expected a header value on one line, got a string (secret, not shown).",
    );
  });

  it('allows the hosts of a rule with headers over https only, but for loopback hosts', () => {
    const allowList = allowListOf([
      { host: 'git.example.com', headers: { Authorization: 'token t' } },
      { host: '127.0.0.1:8080', headers: { Authorization: 'token t' } },
    ]);
    expect(allowList.match(new URL('https://git.example.com/a'))).toMatchObject(
      { allowed: true },
    );
    expect(allowList.match(new URL('http://git.example.com/a'))).toEqual({
      allowed: false,
      reason:
        "the rule for host 'git.example.com' in 'backend.reading.allow' has headers, which are sent over https only, and the URL is http",
      fix: 'Use the https URL of the same resource.',
    });
    expect(allowList.match(new URL('http://127.0.0.1:8080/a'))).toMatchObject({
      allowed: true,
    });
  });
});
