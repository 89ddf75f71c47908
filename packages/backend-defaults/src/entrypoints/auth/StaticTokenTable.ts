import { hash } from 'node:crypto';
import type { StaticAccessEntry } from './readExternalAccessConfig';

/**
 * Finds the static access entry a presented token belongs to, in one map
 * lookup whatever the number of entries.
 *
 * @remarks
 * The map is keyed by each token's SHA-256 digest, never by the token, so
 * the lookup's timing cannot reveal a token: how long it takes depends at
 * most on how much of a presented token's digest matches a stored digest,
 * and a caller cannot steer a digest towards another. Hashing takes the
 * same time for every token of one length.
 */
export class StaticTokenTable {
  readonly #entries: ReadonlyMap<string, StaticAccessEntry>;

  constructor(entries: readonly StaticAccessEntry[]) {
    this.#entries = new Map(entries.map(entry => [digest(entry.token), entry]));
  }

  /** The entry whose token equals `token`, if any. */
  find(token: string): StaticAccessEntry | undefined {
    return this.#entries.get(digest(token));
  }
}

function digest(token: string): string {
  return hash('sha256', token, 'base64');
}
