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
