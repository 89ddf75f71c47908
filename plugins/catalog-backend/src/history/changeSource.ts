/*
 * Who changed an entity: the source of a change (a provider, a location,
 * an API call, orphan cleanup) and the actor, the principal of the API
 * call that caused it. The capture triggers read them from the database;
 * this module writes them there.
 */
import type {
  BackstageCredentials,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';
import type { RequestHandler } from 'express';
import { ScopedAsyncStorage } from '../shared/ScopedAsyncStorage';

/**
 * What caused a change: `type` is `provider`, `location`, `api` or
 * `orphan-cleanup`; `name` says which one (a provider's name, the parent
 * entity, the route) and `target` the location, when there is one.
 *
 * @public
 */
export interface ChangeSource {
  type: 'provider' | 'location' | 'api' | 'orphan-cleanup';
  name?: string;
  target?: string;
}

/** The actor of the request being handled, resolved once when asked. */
const requestActor = new ScopedAsyncStorage<() => Promise<string | null>>();

/**
 * Middleware that lets the writes a request causes name its caller as
 * their actor: the principal is resolved only when a write asks for it.
 *
 * Reads change nothing, so they run without a store. For the rest, the
 * store holds the request only until its response ends: every promise
 * made under a store keeps it, and some of those promises outlive the
 * request (kept answers, loops a request woke), which would otherwise
 * keep each request, its socket and headers alive with them. Its scope
 * closes then too, since every promise of the process pays while a scope
 * is open (see `ScopedAsyncStorage`).
 */
export function recordChangeActor(httpAuth: HttpAuthService): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      next();
      return;
    }
    let request: typeof req | undefined = req;
    let actor: Promise<string | null> | undefined;
    const resolve = () =>
      (actor ??= request
        ? httpAuth.credentials(request).then(describePrincipal, () => null)
        : Promise.resolve(null));
    requestActor.open(resolve, close => {
      const release = () => {
        request = undefined;
        close();
      };
      // A client gone before this ran has closed the response already.
      if (res.closed) {
        release();
      } else {
        res.once('close', release);
      }
      next();
    });
  };
}

/** The principal of the request this runs for, if any. */
export async function readChangeActor(): Promise<string | null> {
  const resolve = requestActor.getStore();
  return resolve ? resolve() : null;
}

function describePrincipal(credentials: BackstageCredentials): string | null {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return null;
}

/**
 * Names the source (and the request's actor) of the deletions that the
 * rest of the transaction makes, for the capture trigger of deletes; the
 * setting ends with the transaction.
 */
export async function setDeletionSource(
  tx: Knex.Transaction,
  source: ChangeSource,
): Promise<void> {
  const actor = await readChangeActor();
  await tx.raw(
    `SELECT set_config('plinth.change_source', ?, true),
       set_config('plinth.change_actor', ?, true)`,
    [JSON.stringify(source), actor ?? ''],
  );
}

/**
 * The source of an entity written by a provider (`sourceKey`) or by the
 * processing of its parent, stored beside the unprocessed entity so the
 * capture trigger names it when the entity is served.
 */
export function toWriteSource(row: {
  sourceKey: string | null;
  sourceEntityRef: string | null;
  locationKey: string | null;
}): string {
  const source: ChangeSource = row.sourceKey
    ? { type: 'provider', name: row.sourceKey }
    : {
        type: 'location',
        name: row.sourceEntityRef ?? undefined,
        target: row.locationKey ?? undefined,
      };
  return JSON.stringify(source);
}
