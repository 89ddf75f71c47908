import type { HttpAuthService } from '@plinth/backend-plugin-api';
import type { JsonObject } from '@plinth/errors';
import { catalogEntityReadPermission } from '@plinth/plugin-catalog-node/alpha';
import type { Request, Response } from 'express';
import type { EntitiesCatalog } from '../entities/EntitiesCatalog';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { describeWriteProgress } from './describeWriteProgress';
import type { AffectedEntities, WriteWaiter } from './WriteWaiter';

/**
 * What the write routes need to wait for their writes (`?wait=`) and
 * describe them.
 *
 * @internal
 */
export interface ReadYourWritesContext {
  waiter: WriteWaiter;
  entitiesCatalog: EntitiesCatalog;
  guard: CatalogPermissionGuard;
  httpAuth: HttpAuthService;
}

/** What a write route did, for {@link waitAfterWrite}. */
export interface WriteDone {
  /** The route's own answer, as it sends it without `wait`. */
  body: JsonObject;
  /** The status of the route's own answer. */
  status: number;
  affected: AffectedEntities;
  /** The status route of the write, below the plugin's base path. */
  statusPath: string;
}

/**
 * Runs a write and waits up to `waitMs` until what it affected is
 * processed, stitched and readable on every route, then answers.
 *
 * @remarks
 * Settled: the route's own status and body, with `entities` (the stitched
 * entities the caller may read, in full), `stitched` (their refs) and
 * `failed` (refs whose last processing reported errors, with the errors).
 * Not settled when the time is up or the backend stops: `202` with a
 * `Location` header and a `status` link to the status route, and the
 * `progress` so far. A client that disconnects ends the wait at once and
 * frees its slot. The slot is taken before the write, so a request refused
 * for want of one (`503` with `Retry-After`) wrote nothing; the caller's
 * credentials and read decision are resolved before the write too, so a
 * request refused for them wrote nothing, and one whose token expires
 * during the wait still gets its answer.
 *
 * @internal
 */
export async function waitAfterWrite(
  req: Request,
  res: Response,
  context: ReadYourWritesContext,
  options: { waitMs: number; write: () => Promise<WriteDone> },
): Promise<void> {
  let release: () => void;
  try {
    release = context.waiter.reserve();
  } catch (error) {
    res.setHeader('Retry-After', '1');
    throw error;
  }
  try {
    // Resolved before the write: a token that expires during the wait
    // must not turn a write that succeeded into a 401.
    const readFilter = await context.guard.entityFilter(
      catalogEntityReadPermission,
      await context.httpAuth.credentials(req),
    );
    const done = await options.write();
    const clientGone = new AbortController();
    const onClose = () => clientGone.abort();
    res.on('close', onClose);
    // A client that left while the write ran closed before the listener.
    if (req.socket.destroyed) {
      clientGone.abort();
    }
    const outcome = await context.waiter
      .waitFor(done.affected, {
        timeoutMs: options.waitMs,
        signal: clientGone.signal,
      })
      .finally(() => res.off('close', onClose));
    if (clientGone.signal.aborted) {
      return;
    }
    const { report, served } = await describeWriteProgress(outcome.progress, {
      entitiesCatalog: context.entitiesCatalog,
      readFilter,
    });
    if (outcome.settled) {
      res.status(done.status).json({
        ...done.body,
        entities: served,
        stitched: report.entities
          .filter(entity => entity.status === 'stitched')
          .map(entity => entity.entityRef),
        failed: report.entities
          .filter(entity => entity.errors)
          .map(({ entityRef, errors }) => ({ entityRef, errors })),
      });
      return;
    }
    const statusUrl = `${req.baseUrl}${done.statusPath}`;
    res
      .status(202)
      .location(statusUrl)
      .json({ ...done.body, status: statusUrl, progress: report });
  } finally {
    release();
  }
}
