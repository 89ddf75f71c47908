import type { Config, JsonObject } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import { readConfigSecrets } from '../../config';

/**
 * What {@link SecretRedactor.add} did with the values it was given.
 */
export interface RedactionResult {
  /** Values not redacted because they are shorter than the minimum length. */
  tooShort: number;
}

/**
 * Replaces secret values with `***` in strings and, recursively, in the
 * values of objects and arrays. A logger and all of its children share one
 * redactor, so a secret added later is redacted everywhere.
 *
 * @remarks
 * A secret is found as written and in the forms that text around it takes:
 * URL-encoded (as a query value or path segment), JSON-escaped (inside a
 * JSON string), and cut short: any run of at least half of a secret's
 * leading characters is masked, so a message that truncates a value cannot
 * leave most of a secret behind.
 */
export class SecretRedactor {
  /**
   * Secrets shorter than this are not redacted: a two- or three-character
   * value, such as a local password `dev`, also occurs inside ordinary
   * words and would turn every log line into noise. Four characters keep
   * ordinary words readable while still hiding any secret worth its name.
   */
  static readonly minSecretLength = 4;

  static readonly mask = '***';

  /**
   * A redactor of the secrets of `config` (see {@link readConfigSecrets}
   * for `declaredOnly`), kept up to date when the config changes.
   */
  static forConfig(
    config: Config,
    options?: { declaredOnly?: boolean },
  ): SecretRedactor {
    const redactor = new SecretRedactor();
    redactor.add(readConfigSecrets(config, options));
    config.subscribe?.(() => redactor.add(readConfigSecrets(config, options)));
    return redactor;
  }

  readonly #secrets = new Set<string>();
  #version = 0;
  /** Whole secrets, longest first, so one that contains another goes whole. */
  #whole: RegExp | undefined;
  /**
   * Leading parts of secrets; applied after {@link SecretRedactor.#whole},
   * since the longest prefix of one secret may be the start of another.
   */
  #prefixes: RegExp | undefined;
  /**
   * The part of each secret that every match of either pattern starts
   * with. Most text holds none of them, and finding that out is one pass
   * over it instead of two.
   */
  #anchors: RegExp | undefined;

  /**
   * Adds values to redact. Each value is also redacted without surrounding
   * whitespace, and a multi-line value line by line, since a file secret
   * often ends with a newline and a key file is often logged one line at a
   * time.
   */
  add(values: Iterable<string>): RedactionResult {
    let tooShort = 0;
    for (const value of values) {
      if (typeof value !== 'string' || value.trim() === '') {
        continue;
      }
      const written = new Set([value, value.trim()]);
      if (value.includes('\n')) {
        value.split('\n').forEach(line => written.add(line.trim()));
      }
      let added = false;
      for (const variant of [...written].flatMap(encodedForms)) {
        if (variant.length >= SecretRedactor.minSecretLength) {
          this.#secrets.add(variant);
          added = true;
        }
      }
      if (!added) {
        tooShort += 1;
      }
    }
    this.#version += 1;
    const secrets = [...this.#secrets].sort((a, b) => b.length - a.length);
    this.#whole = toAlternation(secrets.map(escapeSecret));
    this.#prefixes = toAlternation(secrets.map(toPrefixPattern));
    this.#anchors = toAnchorPattern(secrets);
    return { tooShort };
  }

  /**
   * Moves whenever secrets are added, so that a caller may remember text
   * it found clean until then.
   */
  get version(): number {
    return this.#version;
  }

  /** Whether any secret is known, so callers can skip converting text. */
  hasSecrets(): boolean {
    return this.#secrets.size > 0;
  }

  /**
   * `text` with every secret replaced by `***`, or with `keepLength` by as
   * many `*` as the secret has UTF-8 bytes, for text whose length was
   * already announced (a response's `Content-Length`).
   */
  redactString(text: string, options?: { keepLength?: boolean }): string {
    if (!this.#whole || !this.#prefixes || !this.#anchors?.test(text)) {
      return text;
    }
    const mask = options?.keepLength
      ? (secret: string) => '*'.repeat(Buffer.byteLength(secret))
      : () => SecretRedactor.mask;
    return text.replace(this.#whole, mask).replace(this.#prefixes, mask);
  }

  /**
   * A copy of `value` with every secret in its strings replaced; errors
   * become plain objects (see {@link serializeError}) so that their
   * messages are redacted too, with their stacks when `options.stack` is
   * set. Cycles become `'[Circular]'`.
   */
  redactValue(value: unknown, options: { stack: boolean }): unknown {
    if (typeof value === 'string') {
      return this.redactString(value);
    }
    // Most log fields are strings and numbers; only objects can hold cycles.
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    return this.#redact(value, options, new Set());
  }

  #redact(
    value: unknown,
    options: { stack: boolean },
    seen: Set<object>,
  ): unknown {
    if (typeof value === 'string') {
      return this.redactString(value);
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    if (seen.has(value)) {
      return '[Circular]';
    }
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        return value.map(item => this.#redact(item, options, seen));
      }
      if (value instanceof Error) {
        return this.#redact(serializeError(value, options), options, seen);
      }
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        return this.#redact(toJSON.call(value) as unknown, options, seen);
      }
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          this.#redact(item, options, seen),
        ]),
      );
    } finally {
      seen.delete(value);
    }
  }
}

/**
 * The forms a secret takes in text: as written, URL-encoded (with `%20` or
 * `+` for spaces, and lower-case escapes), and escaped inside a JSON string.
 */
function encodedForms(secret: string): string[] {
  const component = encodeURIComponent(secret);
  return [
    secret,
    component,
    component.replace(/%20/g, '+'),
    component.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase()),
    encodeURI(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/**
 * Secrets longer than this are matched whole (and line by line) only: a
 * prefix pattern nests one group per character.
 */
const maxPrefixMatchedLength = 256;

function escapeSecret(secret: string): string {
  return secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toAlternation(patterns: string[]): RegExp | undefined {
  return patterns.length > 0 ? new RegExp(patterns.join('|'), 'g') : undefined;
}

/**
 * The shortest prefix of a secret that is masked: shorter runs of ordinary
 * text would match the start of some secret too often.
 */
const minPrefixLength = 8;

/**
 * A pattern, without the global flag so that `test` keeps no state, of
 * the leading characters every match of {@link toPrefixPattern} and of a
 * whole secret starts with.
 */
function toAnchorPattern(secrets: string[]): RegExp | undefined {
  const anchors = new Set(
    secrets.map(secret =>
      [...secret].slice(0, requiredPrefixLength(secret)).join(''),
    ),
  );
  return anchors.size > 0
    ? new RegExp([...anchors].map(escapeSecret).join('|'))
    : undefined;
}

/**
 * A pattern that matches the secret and every prefix of it that keeps at
 * least half of it and at least {@link minPrefixLength} characters, the
 * longest one present: `abcdefgh(?:i(?:j)?)?` for `abcdefghij`.
 */
function toPrefixPattern(secret: string): string {
  const chars = [...secret].map(escapeSecret);
  if (chars.length > maxPrefixMatchedLength) {
    return chars.join('');
  }
  const required = requiredPrefixLength(secret);
  return (
    chars.slice(0, required).join('') +
    chars.slice(required).reduceRight((rest, char) => `(?:${char}${rest})?`, '')
  );
}

/**
 * How many leading characters of a secret a match must have: at least
 * half of them and at least {@link minPrefixLength}, or all of them when
 * only whole matches count.
 */
function requiredPrefixLength(secret: string): number {
  const length = [...secret].length;
  if (length > maxPrefixMatchedLength) {
    return length;
  }
  return Math.min(length, Math.max(minPrefixLength, Math.ceil(length / 2)));
}

/** How deep a chain of causes is followed before it is cut off. */
const maxCauseDepth = 10;

/**
 * An error as a plain object for a log line: `name`, `message`, `code` when
 * it has one (such as `ECONNREFUSED`), `stack` when asked for, and its
 * `cause` chain in the same shape. A cause that is not an error is kept as
 * its string form.
 */
export function serializeError(
  error: Error,
  options: { stack: boolean },
  depth = 0,
): JsonObject {
  const serialized: JsonObject = { name: error.name, message: error.message };
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' || typeof code === 'number') {
    serialized.code = code;
  }
  if (options.stack && typeof error.stack === 'string') {
    serialized.stack = error.stack;
  }
  if (cause !== undefined && cause !== error) {
    if (depth >= maxCauseDepth) {
      serialized.cause = '[cause chain too deep]';
    } else if (isError(cause)) {
      serialized.cause = serializeError(cause, options, depth + 1);
    } else {
      serialized.cause = describeCause(cause);
    }
  }
  return serialized;
}

/** Whether a log field has the shape {@link serializeError} produces. */
export function isSerializedError(
  value: unknown,
): value is { name: string; message: string; stack?: string; cause?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function describeCause(cause: unknown): string {
  if (typeof cause === 'object' && cause !== null) {
    try {
      return JSON.stringify(cause);
    } catch {
      return '[a cause that cannot be written as JSON]';
    }
  }
  return String(cause);
}
