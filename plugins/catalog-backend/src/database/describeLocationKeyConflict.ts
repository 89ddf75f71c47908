import type { LocationKeyConflict } from './upsertUnprocessedEntities';

/**
 * The message for an entity refused because another location owns its
 * ref, for the parent's errors or the provider's log.
 */
export function describeLocationKeyConflict(
  conflict: LocationKeyConflict,
): string {
  const from =
    conflict.locationKey === null
      ? 'without a location key'
      : `from location '${conflict.locationKey}'`;
  const provider =
    conflict.sourceKey === null
      ? ''
      : ` of entity provider '${conflict.sourceKey}'`;
  const existing =
    conflict.existingLocationKey === null
      ? 'a source without a location key'
      : `location '${conflict.existingLocationKey}'`;
  return `Entity '${conflict.entityRef}' ${from}${provider} conflicts with the same entity already provided by ${existing}; remove one of them, or delete the entity so the other can claim it.`;
}
