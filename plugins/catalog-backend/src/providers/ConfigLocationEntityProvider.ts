import path from 'node:path';
import type { Config } from '@plinth/backend-plugin-api';
import { describeLocationRef } from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@plinth/plugin-catalog-node';
import { findUrlTargetProblem } from '../locations/checkLocationTarget';
import { locationSpecToLocationEntity } from '../locations/locationSpecToLocationEntity';

function readConfigLocations(config: Config): DeferredEntity[] {
  const locations = config.getOptionalConfigArray('catalog.locations') ?? [];
  return locations.map((location, index) => {
    const type = location.getString('type');
    const target = location.getString('target');
    const problem = type === 'url' ? findUrlTargetProblem(target) : undefined;
    if (problem) {
      throw new InputError(
        `Invalid config at 'catalog.locations[${index}].target' ('${describeLocationRef({ type, target })}'): ${problem}.`,
      );
    }
    // Relative file targets mean the working directory of the backend.
    return locationSpecToLocationEntity({
      type,
      target: type === 'file' ? path.resolve(target) : target,
    });
  });
}

/**
 * Provides one Location entity per `catalog.locations` entry, as the entity
 * provider `ConfigLocationProvider`: removing an entry from config and
 * restarting removes its entities.
 *
 * @remarks
 * The `rules` of each entry are enforced by the catalog rules, not here.
 *
 * @internal
 */
export class ConfigLocationEntityProvider implements EntityProvider {
  readonly #entities: DeferredEntity[];

  /**
   * Reads `catalog.locations` now, so a mistake stops the catalog before it
   * starts.
   *
   * @throws InputError when a `url` target is not an `http(s)` URL or
   *   carries credentials.
   */
  constructor(options: { config: Config }) {
    this.#entities = readConfigLocations(options.config);
  }

  getProviderName(): string {
    return 'ConfigLocationProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    await connection.applyMutation({
      type: 'full',
      entities: this.#entities,
    });
  }
}
