import { serializeError } from './serializeError';

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

  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

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
      const variants = new Set([value, value.trim()]);
      if (value.includes('\n')) {
        value.split('\n').forEach(line => variants.add(line.trim()));
      }
      let added = false;
      for (const variant of variants) {
        if (variant.length >= SecretRedactor.minSecretLength) {
          this.#secrets.add(variant);
          added = true;
        }
      }
      if (!added) {
        tooShort += 1;
      }
    }
    this.#pattern = this.#buildPattern();
    return { tooShort };
  }

  /** `text` with every secret replaced by `***`. */
  redactString(text: string): string {
    return this.#pattern
      ? text.replace(this.#pattern, SecretRedactor.mask)
      : text;
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

  #buildPattern(): RegExp | undefined {
    if (this.#secrets.size === 0) {
      return undefined;
    }
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...this.#secrets]
      .sort((a, b) => b.length - a.length)
      .map(secret => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(alternatives.join('|'), 'g');
  }
}
