import { parseEntityRef } from '@plinth/catalog-model';
import { NotFoundError } from '@plinth/errors';
import type { Knex } from 'knex';
import { listAncestors } from '../database/entityReferences';
import { scheduleProcessing } from '../database/processingQueue';
import { toLowerEntityRef } from '../shared/toLowerEntityRef';

/**
 * Asks for an entity to be processed again soon, as `POST /refresh` does.
 *
 * @internal
 */
export interface RefreshService {
  /**
   * Makes the entity, and the Location entities it was read through, due
   * for processing now.
   *
   * @throws {@link @plinth/errors#NotFoundError} when no such entity
   *   exists; {@link @plinth/errors#InputError} when the ref is malformed.
   */
  refresh(options: { entityRef: string }): Promise<void>;
}

/**
 * Refreshes an entity by making it and its Location ancestors due: an
 * entity read from a file is only read again when the Location entity that
 * points at the file is processed.
 */
export class DefaultRefreshService implements RefreshService {
  readonly #knex: Knex;
  readonly #onScheduled: () => void;

  /** `onScheduled` is called once entities are due, such as to wake processing. */
  constructor(options: { knex: Knex; onScheduled?: () => void }) {
    this.#knex = options.knex;
    this.#onScheduled = options.onScheduled ?? (() => {});
  }

  async refresh(options: { entityRef: string }): Promise<void> {
    const ref = toLowerEntityRef(parseEntityRef(options.entityRef));
    const ancestors = await listAncestors(this.#knex, ref);
    const locations = ancestors.filter(a => a.startsWith('location:'));
    const scheduled = await scheduleProcessing(this.#knex, [ref, ...locations]);
    if (!scheduled.includes(ref)) {
      throw new NotFoundError(
        `Entity '${ref}' not found; check the ref, written as 'kind:namespace/name', against the catalog.`,
      );
    }
    this.#onScheduled();
  }
}
