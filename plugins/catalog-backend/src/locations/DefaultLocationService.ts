import path from 'node:path';
import type { Config } from '@plinth/backend-plugin-api';
import {
  stringifyEntityRef,
  describeLocationRef,
  stringifyLocationRef,
  type CompoundEntityRef,
  type Entity,
} from '@plinth/catalog-model';
import {
  describeErrorChain,
  ForwardedError,
  InputError,
  quoteList,
} from '@plinth/errors';
import type { DeferredEntity, LocationSpec } from '@plinth/plugin-catalog-node';
import type { EntityPermissionFilter } from '../entities/EntitiesCatalog';
import type { CatalogProcessingOrchestrator } from '../processing/CatalogProcessingOrchestrator';
import { assertUrlTarget } from './checkLocationTarget';
import type { LocationStore } from './LocationStore';
import { locationSpecToLocationEntity } from './locationSpecToLocationEntity';

/** The config key that lists the location types the API accepts. */
const allowedTypesKey = 'catalog.allowedLocationTypes';
/**
 * Locations registered through the API are read on behalf of whoever
 * registered them, so by default they may only be read from the hosts the
 * URL reader allows; `file` locations come from `catalog.locations`.
 */
const defaultAllowedTypes: readonly string[] = ['url'];

function describeTypes(types: readonly string[]): string {
  if (types.length === 0) {
    return 'none are allowed';
  }
  return types.length === 1
    ? `the allowed type is ${quoteList(types)}`
    : `the allowed types are ${quoteList(types, 'and')}`;
}

/**
 * Registers locations through the store, after checking their type and
 * target, and answers dry runs by processing the location in memory.
 *
 * @remarks
 * File targets are stored as absolute paths, so one file is one location
 * however it was written. A dry run writes nothing: it processes the
 * location's entity and everything it yields with the orchestrator, and
 * fails with the processing errors of the first entity that has any.
 *
 * @internal
 */
export class DefaultLocationService implements LocationService {
  readonly #store: LocationStore;
  readonly #orchestrator: CatalogProcessingOrchestrator;
  readonly #allowedTypes: readonly string[];
  readonly #maxDryRunEntities: number;

  /**
   * `allowedLocationTypes`, as set through the `catalog.locations`
   * extension point, wins over `catalog.allowedLocationTypes` in config.
   */
  constructor(options: {
    store: LocationStore;
    orchestrator: CatalogProcessingOrchestrator;
    config: Config;
    allowedLocationTypes?: readonly string[];
    /** @defaultValue 1000, from `catalog.queryLimits.maxDryRunEntities` */
    maxDryRunEntities?: number;
  }) {
    this.#maxDryRunEntities = options.maxDryRunEntities ?? 1000;
    this.#store = options.store;
    this.#orchestrator = options.orchestrator;
    this.#allowedTypes =
      options.allowedLocationTypes ??
      options.config.getOptionalStringArray(allowedTypesKey) ??
      defaultAllowedTypes;
  }

  async createLocation(
    input: LocationSpec,
    dryRun: boolean,
  ): Promise<CreateLocationResult> {
    const spec = this.checkLocation(input);
    if (dryRun) {
      return this.#dryRun(spec);
    }
    const location = await this.#store.createLocation(spec);
    return { location, entities: [] };
  }

  listLocations(): Promise<Location[]> {
    return this.#store.listLocations();
  }

  getLocation(id: string): Promise<Location> {
    return this.#store.getLocation(id);
  }

  updateLocation(id: string, input: LocationSpec): Promise<Location> {
    return this.#store.updateLocation(id, this.checkLocation(input));
  }

  queryLocations(request: LocationQuery): Promise<LocationPage> {
    return this.#store.queryLocations(request);
  }

  deleteLocation(id: string): Promise<void> {
    return this.#store.deleteLocation(id);
  }

  getLocationByEntity(ref: CompoundEntityRef): Promise<Location> {
    return this.#store.getLocationByEntity(ref);
  }

  checkLocation(input: LocationSpec): LocationSpec {
    if (!this.#allowedTypes.includes(input.type)) {
      const why =
        input.type === 'file'
          ? " A 'file' location is read from this server's disk, so it is refused from the API unless allowed; list file locations in 'catalog.locations' instead."
          : '';
      throw new InputError(
        `Location type '${input.type}' cannot be registered through the API; ${describeTypes(this.#allowedTypes)}. Use an allowed type, or add it to '${allowedTypesKey}'.${why}`,
      );
    }
    if (input.type === 'file') {
      return { ...input, target: path.resolve(input.target) };
    }
    assertUrlTarget(input, 'the request');
    return input;
  }

  async #dryRun(spec: LocationSpec): Promise<CreateLocationResult> {
    const exists = this.#store
      .listLocations()
      .then(all =>
        all.some(l => l.type === spec.type && l.target === spec.target),
      );
    // Keep the check's rejection handled while processing runs.
    exists.catch(() => {});
    const entities = await this.#process(spec, [
      locationSpecToLocationEntity(spec),
    ]);
    return {
      location: {
        id: stringifyLocationRef(spec),
        type: spec.type,
        target: spec.target,
      },
      entities,
      exists: await exists,
    };
  }

  async #process(
    spec: LocationSpec,
    queue: DeferredEntity[],
  ): Promise<Entity[]> {
    const entities: Entity[] = [];
    const seen = new Set<string>();
    for (let next = queue.shift(); next; next = queue.shift()) {
      const result = await this.#orchestrator.process({
        entity: next.entity,
        cache: {},
      });
      const errors = result.errors;
      if (!result.ok || errors.length > 0) {
        throw this.#failure(spec, next.entity, errors);
      }
      const ref = stringifyEntityRef(result.completedEntity);
      const key = ref.toLowerCase();
      if (seen.has(key)) {
        throw new InputError(
          `Location '${describeLocationRef(spec)}' yields the entity '${ref}' more than once. Define each entity in one place only.`,
        );
      }
      seen.add(key);
      entities.push(result.completedEntity);
      queue.push(...result.deferredEntities);
      if (entities.length >= this.#maxDryRunEntities && queue.length > 0) {
        throw new InputError(
          `Dry run of location '${describeLocationRef(spec)}' stopped after ${entities.length} entities, the most that 'catalog.queryLimits.maxDryRunEntities' allows one dry run, with more to process. Register the location without a dry run, or dry-run the locations it leads to one by one.`,
        );
      }
    }
    return entities;
  }

  #failure(
    spec: LocationSpec,
    entity: Entity,
    errors: readonly Error[],
  ): Error {
    const where = `Dry run of location '${describeLocationRef(spec)}' failed while processing entity '${stringifyEntityRef(entity)}'`;
    if (errors.length === 1) {
      // The caller chose the URL: one that cannot be read is their input
      // to fix, not the server's failure.
      return errors[0].name === 'UrlFetchError'
        ? new InputError(where, errors[0])
        : new ForwardedError(where, errors[0]);
    }
    // Several errors cannot all be the cause: each line carries its chain.
    const lines = errors.map(
      error => `- ${describeErrorChain(error).replace(/\n\s*/g, ' ')}`,
    );
    return new InputError(
      `${where}, with ${errors.length} errors:\n${lines.join('\n')}`,
    );
  }
}

/**
 * A location registered through the REST API.
 *
 * @internal
 */
export interface Location {
  /** A UUID; `<type>:<target>` for the answer of a dry run. */
  id: string;
  type: string;
  target: string;
}

/**
 * What `POST /locations` answers.
 *
 * @internal
 */
export interface CreateLocationResult {
  location: Location;
  /** The entities the location yields; only a dry run fills it. */
  entities: Entity[];
  /** Whether the location is already registered; only a dry run says. */
  exists?: boolean;
}

/**
 * A request for a page of `POST /locations/by-query`.
 *
 * @internal
 */
export interface LocationQuery {
  /** What a predicate over `id`, `type` and `target` became. */
  criteria?: EntityPermissionFilter;
  /** Start after the location with this id. */
  afterId?: string;
  limit: number;
}

/**
 * A page of `POST /locations/by-query`; `hasMore` when locations follow.
 *
 * @internal
 */
export interface LocationPage {
  items: Location[];
  totalItems: number;
  hasMore: boolean;
}

/**
 * Registers, lists and removes the locations behind `/locations`.
 *
 * @internal
 */
export interface LocationService {
  /**
   * Checks a location given through the API and returns it normalized
   * (file targets absolute): its type must be allowed, and a `url` target
   * an `http(s)` URL without credentials.
   *
   * @throws InputError naming the problem.
   */
  checkLocation(spec: LocationSpec): LocationSpec;
  /**
   * Registers a location, or with `dryRun` only reads it and returns the
   * entities it would yield, without writing anything.
   *
   * @throws InputError when the location type is not allowed;
   *   ConflictError when it is already registered.
   */
  createLocation(
    spec: LocationSpec,
    dryRun: boolean,
  ): Promise<CreateLocationResult>;
  listLocations(): Promise<Location[]>;
  /** @throws NotFoundError when no location has this id. */
  getLocation(id: string): Promise<Location>;
  /** @throws NotFoundError when no location has this id. */
  deleteLocation(id: string): Promise<void>;
  /**
   * Points a registered location at another type and target, checked as
   * {@link LocationService.checkLocation} checks new ones, and has the
   * entities of the new target processed in place of the old ones.
   *
   * @throws InputError when the type or target is refused; NotFoundError
   *   when no location has this id; ConflictError when another location
   *   has this type and target.
   */
  updateLocation(id: string, spec: LocationSpec): Promise<Location>;
  /** A page of the registered locations, in id order, that match a predicate. */
  queryLocations(request: LocationQuery): Promise<LocationPage>;
  /**
   * The registered location an entity originally came from.
   *
   * @throws NotFoundError when the entity is unknown or did not come from a
   *   registered location.
   */
  getLocationByEntity(ref: CompoundEntityRef): Promise<Location>;
}
