import path from 'node:path';
import type { Config } from '@plinth/backend-plugin-api';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@plinth/plugin-catalog-node';
import { locationSpecToLocationEntity } from '../locations/locationSpecToLocationEntity';

function readConfigLocations(config: Config): DeferredEntity[] {
  const locations = config.getOptionalConfigArray('catalog.locations') ?? [];
  return locations.map(location => {
    const type = location.getString('type');
    const target = location.getString('target');
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
  readonly #config: Config;

  constructor(options: { config: Config }) {
    this.#config = options.config;
  }

  getProviderName(): string {
    return 'ConfigLocationProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    await connection.applyMutation({
      type: 'full',
      entities: readConfigLocations(this.#config),
    });
  }
}
