import { randomUUID } from 'node:crypto';
import {
  ANNOTATION_ORIGIN_LOCATION,
  parseLocationRef,
  stringifyEntityRef,
  describeLocationRef,
  type CompoundEntityRef,
  type Entity,
} from '@plinth/catalog-model';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@plinth/errors';
import type {
  EntityProvider,
  EntityProviderConnection,
  LocationSpec,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';
import type { Location } from './DefaultLocationService';
import { locationSpecToLocationEntity } from './locationSpecToLocationEntity';
import { queryLocationRows } from './queryLocationRows';

/** PostgreSQL's code for a unique constraint violation. */
const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

function conflict(location: LocationSpec, id?: string): ConflictError {
  const withId = id ? ` with id '${id}'` : '';
  return new ConflictError(
    `Location '${describeLocationRef(location)}' already exists${withId}. Delete it first to register it again, or refresh the entities it provides.`,
  );
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(
    `No location with id '${id}' exists. List the registered locations with GET /locations.`,
  );
}

/**
 * Keeps the locations registered through the API in the `locations` table,
 * and, as the entity provider `DefaultLocationStore`, keeps one Location
 * entity per row in the catalog.
 *
 * @remarks
 * A row and its entity are written one after the other: when the entity
 * cannot be written, the row change is undone before the error is thrown.
 * On connect, the provider replaces its entities with those of the rows,
 * which repairs anything a crash left between the two.
 *
 * @internal
 */
export class LocationStore implements EntityProvider {
  readonly #knex: Knex;
  #connection: EntityProviderConnection | undefined;

  constructor(options: { knex: Knex }) {
    this.#knex = options.knex;
  }

  getProviderName(): string {
    return 'DefaultLocationStore';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    const locations = await this.listLocations();
    await connection.applyMutation({
      type: 'full',
      entities: locations.map(locationSpecToLocationEntity),
    });
  }

  /** @throws ConflictError when a location with this type and target exists. */
  async createLocation(spec: LocationSpec): Promise<Location> {
    const connection = this.#requireConnection();
    const location: Location = {
      id: randomUUID(),
      type: spec.type,
      target: spec.target,
    };
    try {
      await this.#knex('locations').insert(location);
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      const [existing] = await this.#knex<Location>('locations')
        .where({ type: spec.type, target: spec.target })
        .select('id');
      throw conflict(spec, existing?.id);
    }
    try {
      await connection.applyMutation({
        type: 'delta',
        added: [locationSpecToLocationEntity(location)],
        removed: [],
      });
    } catch (error) {
      await this.#knex('locations').where({ id: location.id }).delete();
      throw error;
    }
    return location;
  }

  async listLocations(): Promise<Location[]> {
    return this.#knex<Location>('locations')
      .select('id', 'type', 'target')
      .orderBy('id');
  }

  /** @throws NotFoundError when no location has this id. */
  async getLocation(id: string): Promise<Location> {
    const [location] = await this.#knex<Location>('locations')
      .where({ id })
      .select('id', 'type', 'target');
    if (!location) {
      throw notFound(id);
    }
    return location;
  }

  /** @throws NotFoundError when no location has this id. */
  async deleteLocation(id: string): Promise<void> {
    const connection = this.#requireConnection();
    const location = await this.#knex.transaction(async trx => {
      const [row] = await trx<Location>('locations')
        .where({ id })
        .select('id', 'type', 'target');
      if (!row) {
        throw notFound(id);
      }
      await trx('locations').where({ id }).delete();
      return row;
    });
    try {
      await connection.applyMutation({
        type: 'delta',
        added: [],
        removed: [locationSpecToLocationEntity(location)],
      });
    } catch (error) {
      await this.#knex('locations').insert(location);
      throw error;
    }
  }

  /**
   * Points a location at another type and target: its row keeps its id,
   * and its Location entity is replaced by one for the new target, which
   * the engine then processes, so the entities of the old target go and
   * those of the new one come, as they would after a delete and a create.
   *
   * @throws NotFoundError when no location has this id; ConflictError
   *   when another location has this type and target.
   */
  async updateLocation(id: string, spec: LocationSpec): Promise<Location> {
    const connection = this.#requireConnection();
    const updated: Location = { id, type: spec.type, target: spec.target };
    let previous: Location;
    try {
      previous = await this.#knex.transaction(async trx => {
        const [row] = await trx<Location>('locations')
          .where({ id })
          .forUpdate()
          .select('id', 'type', 'target');
        if (!row) {
          throw notFound(id);
        }
        await trx('locations')
          .where({ id })
          .update({ type: spec.type, target: spec.target });
        return row;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      const [existing] = await this.#knex<Location>('locations')
        .where({ type: spec.type, target: spec.target })
        .select('id');
      throw conflict(spec, existing?.id);
    }
    if (previous.type === spec.type && previous.target === spec.target) {
      return updated;
    }
    try {
      await connection.applyMutation({
        type: 'delta',
        added: [locationSpecToLocationEntity(updated)],
        removed: [locationSpecToLocationEntity(previous)],
      });
    } catch (error) {
      await this.#knex('locations')
        .where({ id })
        .update({ type: previous.type, target: previous.target });
      throw error;
    }
    return updated;
  }

  /** A page of the locations that match a predicate; see {@link queryLocationRows}. */
  queryLocations(
    request: Parameters<typeof queryLocationRows>[1],
  ): ReturnType<typeof queryLocationRows> {
    return queryLocationRows(this.#knex, request);
  }

  /** @throws NotFoundError when the entity did not come from a registered location. */
  async getLocationByEntity(ref: CompoundEntityRef): Promise<Location> {
    const entityRef = stringifyEntityRef(ref);
    const [row] = await this.#knex<{
      entity_ref: string;
      final_entity: string;
    }>('final_entities')
      .where({ entity_ref: entityRef.toLowerCase() })
      .select('final_entity');
    if (!row) {
      throw new NotFoundError(
        `No entity '${entityRef}' exists in the catalog. Check the kind, namespace and name.`,
      );
    }
    const entity = JSON.parse(row.final_entity) as Entity;
    const origin = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
    if (!origin) {
      throw new NotFoundError(
        `Entity '${entityRef}' has no '${ANNOTATION_ORIGIN_LOCATION}' annotation, so it did not come from a location.`,
      );
    }
    const { type, target } = parseLocationRef(origin);
    const [location] = await this.#knex<Location>('locations')
      .where({ type, target })
      .select('id', 'type', 'target');
    if (!location) {
      throw new NotFoundError(
        `Entity '${entityRef}' came from location '${origin}', which is not registered through the API; it comes from 'catalog.locations' in config or from an entity provider.`,
      );
    }
    return location;
  }

  #requireConnection(): EntityProviderConnection {
    if (!this.#connection) {
      throw new ServiceUnavailableError(
        'The catalog has not connected its location store yet, so locations cannot be changed. Try again once the catalog has started.',
      );
    }
    return this.#connection;
  }
}
