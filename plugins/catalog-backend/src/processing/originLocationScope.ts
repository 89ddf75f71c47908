import type { LocationSpec } from '@plinth/plugin-catalog-node';
import { ScopedAsyncStorage } from '../shared/ScopedAsyncStorage';

/**
 * The origin location of the entity being processed, for the processors
 * that decide by it and whose contract does not pass it: reading a `file`
 * location from disk is allowed only for entities whose origin is a file
 * location from config, and `readLocation` of Backstage's processor
 * contract gets the target, not the origin. The orchestrator reads each
 * Location entity's targets inside it.
 *
 * @internal
 */
export const originLocationScope = new ScopedAsyncStorage<LocationSpec>();
