import type {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@plinth/backend-plugin-api';
import type {
  EvaluatePermissionRequest,
  PolicyDecision,
} from '@plinth/plugin-permission-common';

/** Options for {@link PermissionDecisionCache}. */
export interface PermissionDecisionCacheOptions {
  /** How long a decision is kept after it arrives; 0 keeps none. */
  ttlMs: number;
  /** The most decisions kept; the oldest go first. */
  maxEntries: number;
  /** The clock, for tests. */
  now?: () => number;
}

interface Entry {
  decision: Promise<PolicyDecision>;
  /** Infinity while the answer is on its way. */
  expiresAt: number;
}

/**
 * Short-lived decisions of the permission backend, per caller, so a
 * burst of requests by one user asks once: each decision is kept for
 * `ttlMs` after it arrives, and a request made while the same one is on
 * its way shares its answer. Failures are not kept.
 *
 * Keys hold the caller (principal and the expiry of their token, so a
 * new token starts afresh), the question (authorize or conditional), the
 * permission and the resource ref; never a token.
 */
export class PermissionDecisionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<PermissionDecisionCacheOptions>;

  constructor(options: PermissionDecisionCacheOptions) {
    this.#options = { ...options, now: options.now ?? Date.now };
  }

  /**
   * Decisions for `requests`, from the cache where it has them, the rest
   * from one call of `fetchMissing` with the requests it lacks, in order.
   */
  async decide(
    requests: EvaluatePermissionRequest[],
    scope: { credentials: BackstageCredentials; conditional: boolean },
    fetchMissing: (
      missing: EvaluatePermissionRequest[],
    ) => Promise<PolicyDecision[]>,
  ): Promise<PolicyDecision[]> {
    if (this.#options.ttlMs <= 0) {
      return fetchMissing(requests);
    }
    const now = this.#options.now();
    const caller = describeCaller(scope);
    const keys = requests.map(r => toKey(caller, r));
    const decisions: Array<Promise<PolicyDecision> | undefined> = keys.map(
      key => this.#lookup(key, now),
    );
    const missingIndexes = [...decisions.keys()].filter(i => !decisions[i]);
    if (missingIndexes.length > 0) {
      const batch = fetchMissing(missingIndexes.map(i => requests[i]));
      for (const [j, i] of missingIndexes.entries()) {
        decisions[i] = this.#remember(
          keys[i],
          batch.then(all => all[j]),
        );
      }
    }
    return Promise.all(decisions as Array<Promise<PolicyDecision>>);
  }

  #lookup(key: string, now: number): Promise<PolicyDecision> | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > now) {
      return entry.decision;
    }
    this.#entries.delete(key);
    return undefined;
  }

  #remember(
    key: string,
    decision: Promise<PolicyDecision>,
  ): Promise<PolicyDecision> {
    const entry: Entry = { decision, expiresAt: Infinity };
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#options.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    decision.then(
      () => {
        entry.expiresAt = this.#options.now() + this.#options.ttlMs;
      },
      () => {
        if (this.#entries.get(key) === entry) {
          this.#entries.delete(key);
        }
      },
    );
    return decision;
  }
}

function describeCaller(scope: {
  credentials: BackstageCredentials;
  conditional: boolean;
}): unknown[] {
  const { credentials, conditional } = scope;
  const principal = credentials.principal as Partial<BackstageUserPrincipal> & {
    type?: string;
  };
  return [
    conditional,
    principal.type,
    principal.userEntityRef,
    principal.actor?.subject,
    credentials.expiresAt?.getTime(),
  ];
}

function toKey(caller: unknown[], request: EvaluatePermissionRequest): string {
  const { permission, resourceRef } = request;
  return JSON.stringify([
    ...caller,
    permission.type,
    permission.name,
    permission.attributes?.action,
    'resourceType' in permission ? permission.resourceType : undefined,
    resourceRef,
  ]);
}
