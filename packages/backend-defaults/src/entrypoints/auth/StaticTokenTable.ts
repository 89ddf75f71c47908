import { createHash, timingSafeEqual } from 'node:crypto';
import type { StaticAccessEntry } from './readExternalAccessConfig';

/**
 * Finds the static access entry a presented token belongs to. Tokens are
 * compared as SHA-256 digests in constant time, against every entry
 * without stopping at a match, so response times reveal neither a token's
 * length nor how much of it was right.
 */
export class StaticTokenTable {
  readonly #entries: ReadonlyArray<{
    digest: Buffer;
    entry: StaticAccessEntry;
  }>;

  constructor(entries: readonly StaticAccessEntry[]) {
    this.#entries = entries.map(entry => ({
      digest: digest(entry.token),
      entry,
    }));
  }

  /** The entry whose token equals `token`, if any. */
  find(token: string): StaticAccessEntry | undefined {
    const presented = digest(token);
    let found: StaticAccessEntry | undefined;
    for (const { digest: candidate, entry } of this.#entries) {
      if (timingSafeEqual(candidate, presented)) {
        found = entry;
      }
    }
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
