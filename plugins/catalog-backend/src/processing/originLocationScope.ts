import { AsyncLocalStorage } from 'node:async_hooks';
import type { LocationSpec } from '@plinth/plugin-catalog-node';

/**
 * The origin location of the entity being processed, for the processors
 * that decide by it and whose contract does not pass it: reading a `file`
 * location from disk is allowed only for entities whose origin is a file
 * location from config, and `readLocation` of Backstage's processor
 * contract gets the target, not the origin. The orchestrator runs each
 * entity's processing inside it.
 *
 * @internal
 */
export const originLocationScope = new AsyncLocalStorage<LocationSpec>();
