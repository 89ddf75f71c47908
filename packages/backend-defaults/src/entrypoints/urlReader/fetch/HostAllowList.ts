import net from 'node:net';
import type { Config } from '@plinth/backend-plugin-api';
import { NotAllowedError, quoteList, redactUrl } from '@plinth/errors';
import { ConfigReader } from '../../../config';
import { InvalidConfigError } from '../../../errors';

/** The config key that lists the hosts http(s) URLs may be read from. */
export const allowConfigKey = 'backend.reading.allow';

/** One parsed entry of `backend.reading.allow`. */
export interface AllowRule {
  /** The host as written in config, for messages. */
  readonly host: string;
  /** Canonical host name, or for a wildcard rule the suffix after `*.`. */
  readonly hostname: string;
  /** Whether the rule was written `*.example.com`. */
  readonly wildcard: boolean;
  /** Allowed ports; absent means the scheme's default port only. */
  readonly ports?: { readonly min: number; readonly max: number };
  /** Decoded, normalised path prefixes; absent means every path. */
  readonly paths?: readonly string[];
  /**
   * Headers sent with every request to a host of the rule, such as the
   * `Authorization` of a code host: credentials belong here, in config
   * marked secret, rather than in URLs, which are shown and logged. A
   * rule with headers allows https URLs only, but for loopback hosts.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The outcome of matching a URL against the allow list. */
export type AllowMatch =
  | { readonly allowed: true; readonly rule: AllowRule }
  | {
      readonly allowed: false;
      /** Why, as a clause: `host 'x' matches no rule in '...'`. */
      readonly reason: string;
      /** How to allow it, as a sentence. */
      readonly fix: string;
    };

const defaultPorts: Readonly<Record<string, number>> = {
  'http:': 80,
  'https:': 443,
};

const hostPattern =
  /^(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)\.?(?::(\d{1,5})(?:-(\d{1,5}))?)?$/i;

const expectedHost =
  "a host such as 'example.com', '*.example.com', 'example.com:8080' or '127.0.0.1:1024-65535'";

function canonicalHostname(hostname: string): string {
  // The WHATWG parser gives the form that URLs will have: lower case,
  // punycode, compressed IPv6, dotted IPv4.
  return new URL(`http://${hostname}/`).hostname;
}

/**
 * A URL path as the server will see it: each segment percent-decoded, then
 * `.` and `..` segments applied, so that `/docs/..%2fadmin` or
 * `/docs/%2e%2e/admin` cannot pass for a path below `/docs`. A path whose
 * escapes do not decode, or decode to a separator, has no such form: a
 * server may or may not split there, so no prefix can be judged.
 */
function decodePath(
  pathname: string,
): { readonly path: string } | { readonly problem: string } {
  const separator = /%(2f|5c)/i.exec(pathname);
  if (separator) {
    return { problem: `an encoded separator ('${separator[0]}')` };
  }
  const segments: string[] = [];
  for (const segment of pathname.split('/').slice(1)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return {
        problem: `a percent escape that does not decode ('${segment}')`,
      };
    }
    if (decoded === '..') {
      segments.pop();
    } else if (decoded !== '.') {
      segments.push(decoded);
    }
  }
  return { path: `/${segments.join('/')}` };
}

function canonicalPath(prefix: string): string | undefined {
  const decoded = decodePath(new URL(prefix, 'http://host/').pathname);
  if (!('path' in decoded)) {
    return undefined;
  }
  return decoded.path.length > 1
    ? decoded.path.replace(/\/+$/, '')
    : decoded.path;
}

function parsePort(text: string | undefined): number | undefined {
  const port = text === undefined ? undefined : Number(text);
  return port !== undefined && port >= 1 && port <= 65535 ? port : undefined;
}

function parseRule(item: Config, index: number): AllowRule {
  const key = `${allowConfigKey}[${index}]`;
  const host = item.getString('host').trim();
  const match = hostPattern.exec(host);
  const invalid = () =>
    new InvalidConfigError(
      `${key}.host`,
      ConfigReader.findContext(item, 'host'),
      expectedHost,
      host,
    );
  if (!match) {
    throw invalid();
  }
  const [, star, name, minText, maxText] = match;
  const hostname = canonicalHostname(name);
  const wildcard = star !== undefined;
  const isIp = name.startsWith('[') || net.isIP(hostname) !== 0;
  if (wildcard && isIp) {
    throw invalid();
  }
  let ports: AllowRule['ports'];
  if (minText !== undefined) {
    const min = parsePort(minText);
    const max = maxText === undefined ? min : parsePort(maxText);
    if (min === undefined || max === undefined || min > max) {
      throw invalid();
    }
    ports = { min, max };
  }
  const paths = item
    .getOptionalStringArray('paths')
    ?.map((prefix, pathIndex) => {
      const canonical = prefix.startsWith('/')
        ? canonicalPath(prefix)
        : undefined;
      if (canonical === undefined) {
        throw new InvalidConfigError(
          `${key}.paths[${pathIndex}]`,
          ConfigReader.findContext(item, 'paths'),
          "a path starting with '/' and without encoded separators, such as '/docs'",
          prefix,
        );
      }
      return canonical;
    });
  const headers = readHeaders(item, key);
  return { host, hostname, wildcard, ports, paths, headers };
}

/** An HTTP header name: a token of RFC 9110. */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers that only the reader itself may set. */
const reservedHeaders = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'accept-encoding',
]);

function readHeaders(
  item: Config,
  key: string,
): Readonly<Record<string, string>> | undefined {
  const config = item.getOptionalConfig('headers');
  if (!config) {
    return undefined;
  }
  const headers = Object.create(null) as Record<string, string>;
  for (const name of config.keys()) {
    const headerKey = `${key}.headers.${name}`;
    if (!headerName.test(name) || reservedHeaders.has(name.toLowerCase())) {
      throw new InvalidConfigError(
        headerKey,
        ConfigReader.findContext(item, 'headers'),
        "a header name other than 'Host', 'Content-Length', 'Transfer-Encoding', 'Connection' and 'Accept-Encoding', such as 'Authorization'",
        name,
      );
    }
    const value = config.getString(name);
    if (/[\r\n\0]/.test(value)) {
      throw new InvalidConfigError(
        headerKey,
        ConfigReader.findContext(item, 'headers'),
        'a header value on one line',
        value,
        { secret: true },
      );
    }
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

function isBelow(pathname: string, prefix: string): boolean {
  return (
    prefix === '/' || pathname === prefix || pathname.startsWith(`${prefix}/`)
  );
}

/**
 * The hosts, ports and paths that http(s) URLs may be read from, from
 * `backend.reading.allow`. A rule's host is a name (`example.com`) or a
 * wildcard for its subdomains (`*.example.com`, which does not match the
 * apex), with an optional port or port range; without one, only the
 * scheme's default port matches. Paths are prefixes by whole segments,
 * compared with the path percent-decoded and its `.` and `..` segments
 * applied; a rule with paths never matches a path with an encoded
 * separator (`%2F`, `%5C`) or an escape that does not decode, while a rule
 * without paths does, since code hosts' APIs use `%2F` in paths.
 */
export class HostAllowList {
  readonly #rules: readonly AllowRule[];

  /**
   * Reads the rules from the whole config.
   *
   * @throws {@link InvalidConfigError} naming the first invalid entry.
   */
  static fromConfig(config: Config): HostAllowList {
    const items = config.getOptionalConfigArray(allowConfigKey) ?? [];
    return new HostAllowList(items.map(parseRule));
  }

  private constructor(rules: readonly AllowRule[]) {
    this.#rules = rules;
  }

  /**
   * Finds the rule that allows a URL, preferring one that names the host
   * exactly, since only such a rule may allow private addresses.
   */
  match(url: URL): AllowMatch {
    const hostname = url.hostname.replace(/\.$/, '');
    const byHost = this.#rules.filter(rule =>
      rule.wildcard
        ? hostname.endsWith(`.${rule.hostname}`)
        : hostname === rule.hostname,
    );
    const fixFor = (host: string) =>
      `To allow it, add { host: '${host}' } to '${allowConfigKey}'.`;
    if (byHost.length === 0) {
      return {
        allowed: false,
        reason: `host '${hostname}' matches no rule in '${allowConfigKey}'`,
        fix: fixFor(url.host),
      };
    }
    const port = url.port
      ? Number(url.port)
      : (defaultPorts[url.protocol] ?? Number.NaN);
    const byPort = byHost.filter(rule =>
      rule.ports
        ? port >= rule.ports.min && port <= rule.ports.max
        : url.port === '',
    );
    if (byPort.length === 0) {
      const described = url.port === '' ? 'the default port' : `port ${port}`;
      return {
        allowed: false,
        reason: `${described} matches no rule for host '${hostname}' in '${allowConfigKey}' (${quoteList(byHost.map(r => r.host))})`,
        fix: fixFor(url.host),
      };
    }
    const decoded = decodePath(url.pathname);
    if ('problem' in decoded && byPort.every(rule => rule.paths)) {
      return {
        allowed: false,
        reason: `path '${url.pathname}' has ${decoded.problem}, and every rule for host '${hostname}' in '${allowConfigKey}' limits paths, which cannot be checked on such a path`,
        fix: "Write the path with plain '/' separators and escapes that decode to UTF-8 text.",
      };
    }
    const byPath = byPort.filter(
      rule =>
        !rule.paths ||
        ('path' in decoded && rule.paths.some(p => isBelow(decoded.path, p))),
    );
    if (byPath.length === 0) {
      const prefixes = byPort.flatMap(rule => rule.paths ?? []);
      return {
        allowed: false,
        reason: `path '${url.pathname}' is not below the paths allowed for host '${hostname}' in '${allowConfigKey}' (${quoteList(prefixes)})`,
        fix: `To allow it, add a prefix of it to the paths of that rule in '${allowConfigKey}'.`,
      };
    }
    // Headers carry credentials, which must not cross the network in clear
    // text, whoever chose the URL.
    const byScheme = byPath.filter(
      rule =>
        !rule.headers ||
        url.protocol === 'https:' ||
        isLoopbackHostname(hostname),
    );
    if (byScheme.length === 0) {
      return {
        allowed: false,
        reason: `the rule for host '${hostname}' in '${allowConfigKey}' has headers, which are sent over https only, and the URL is ${url.protocol.slice(0, -1)}`,
        fix: 'Use the https URL of the same resource.',
      };
    }
    return {
      allowed: true,
      rule: byScheme.find(rule => !rule.wildcard) ?? byScheme[0],
    };
  }
}

/** Whether a URL's host name is this machine's, so nothing crosses a network. */
function isLoopbackHostname(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    (net.isIPv4(hostname) && hostname.startsWith('127.'))
  );
}

/**
 * The error for a URL, or one it redirects to, that the reading rules
 * refuse. `reason` is a clause and `fix` a sentence.
 */
export function toReadRefusal(
  original: URL,
  current: URL,
  reason: string,
  fix: string,
): NotAllowedError {
  const from = redactUrl(original);
  const to = redactUrl(current);
  const via = from === to ? '' : `it redirects to '${to}', and `;
  return new NotAllowedError(
    `Reading '${from}' is not allowed: ${via}${reason}. ${fix}`,
  );
}
