import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  describeLocationRef,
  stringifyLocationRef,
  type EntityValidator,
  type LocationEntity,
} from '@plinth/catalog-model';
import { InputError, NotAllowedError } from '@plinth/errors';
import type { LoggerService } from '@plinth/backend-plugin-api';
import type {
  CatalogProcessorEmit,
  CatalogProcessorResult,
  DeferredEntity,
  LocationSpec,
} from '@plinth/plugin-catalog-node';
import type { EntityRelationSpec } from './CatalogProcessingOrchestrator';
import type { CatalogRulesEnforcer } from './DefaultCatalogRulesEnforcer';
import { toLowerEntityRef } from '../shared/toLowerEntityRef';
import { computeStableHash } from '../shared/computeStableHash';
import { OffHeapJson } from '../shared/OffHeapJson';
import { locationSpecToLocationEntity } from '../locations/locationSpecToLocationEntity';

/** The catalog rules a collector checks children against. */
export interface ChildRules {
  enforcer: CatalogRulesEnforcer;
  /** The origin location of the parent, which the rules match. */
  originLocation: LocationSpec;
}

/** What the processors of one entity emitted. */
export interface CollectedOutput {
  deferredEntities: DeferredEntity[];
  relations: EntityRelationSpec[];
  refreshKeys: Array<{ key: string }>;
  errors: Error[];
  /** Whether an error means the output cannot be trusted. */
  failed: boolean;
}

/**
 * Gathers what processors emit while one entity is processed: children
 * (with their location annotations set), relations, refresh keys and
 * errors. Emitted errors fail the run, so the entity keeps its last good
 * output, as when a location cannot be read for a while.
 *
 * Each child is checked against the catalog rules as it arrives, while
 * its object is at hand; a refused child is left out and its error is
 * added once collection ends, after the others, unless the run failed.
 */
export class ProcessingOutputCollector {
  readonly #parent: { ref: string; location: string; originLocation: string };
  readonly #validator: EntityValidator;
  readonly #logger: LoggerService;
  readonly #output: CollectedOutput = {
    deferredEntities: [],
    relations: [],
    refreshKeys: [],
    errors: [],
    failed: false,
  };
  readonly #childRefs = new Map<string, string>();
  readonly #rules: ChildRules;
  readonly #refused: Error[] = [];
  #lastLocation: { type: string; target: string; ref: string } | undefined;
  #done = false;

  constructor(options: {
    /** The parent: its lowercased ref and its two location annotations. */
    parent: { ref: string; location: string; originLocation: string };
    validator: EntityValidator;
    /** The rules the children must pass, and the location they came from. */
    rules: ChildRules;
    logger: LoggerService;
  }) {
    this.#parent = options.parent;
    this.#validator = options.validator;
    this.#rules = options.rules;
    this.#logger = options.logger;
  }

  /** The emit function handed to one processor. */
  emitFor(processorName: string): CatalogProcessorEmit {
    return result => this.#receive(processorName, result);
  }

  /** Records an error found by the orchestrator itself. */
  addError(error: Error, options: { fatal: boolean }): void {
    this.#output.errors.push(error);
    this.#output.failed ||= options.fatal;
  }

  /** Ends collection; later emits are ignored with a warning. */
  finish(): CollectedOutput {
    this.#done = true;
    if (!this.#output.failed) {
      this.#output.errors.push(...this.#refused);
    }
    return this.#output;
  }

  #receive(processorName: string, result: CatalogProcessorResult): void {
    if (this.#done) {
      this.#logger.warn(
        `Processor '${processorName}' emitted a result of type '${result.type}' for entity '${this.#parent.ref}' after its processing had ended; the result is ignored. Await all work before returning from the processor.`,
      );
      return;
    }
    switch (result.type) {
      case 'entity':
        this.#receiveEntity(result);
        break;
      case 'location':
        this.#addChild(
          toLocationEntity(result.location, this.#parent),
          this.#parent.location,
          stringifyLocationRef(result.location),
        );
        break;
      case 'relation':
        this.#output.relations.push(result.relation);
        break;
      case 'refresh':
        this.#output.refreshKeys.push({ key: result.key });
        break;
      case 'error':
        this.addError(result.error, { fatal: true });
        break;
      default:
        this.addError(
          new InputError(
            `Processor '${processorName}' emitted a result of unknown type '${String((result as { type?: unknown }).type)}' for entity '${this.#parent.ref}'; emit results built with processingResult.`,
          ),
          { fatal: true },
        );
    }
  }

  #receiveEntity(
    result: Extract<CatalogProcessorResult, { type: 'entity' }>,
  ): void {
    const location = this.#stringifyLocation(result.location);
    let entity;
    try {
      entity = this.#validator.validateEnvelope(result.entity);
    } catch (error) {
      this.addError(error as Error, { fatal: true });
      return;
    }
    const withLocation = {
      ...entity,
      metadata: {
        ...entity.metadata,
        // The envelope check guarantees annotations are a map of strings.
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATION_ORIGIN_LOCATION]: this.#parent.originLocation,
          [ANNOTATION_LOCATION]: location,
        },
      },
    };
    this.#addChild(
      withLocation,
      result.locationKey === undefined ? location : result.locationKey,
      location,
    );
  }

  /**
   * The ref of an emitted location, made once for a run of entities
   * emitted with the same location, as a reader emits those of one file:
   * each child keeps it as its location key.
   */
  #stringifyLocation(location: LocationSpec): string {
    const last = this.#lastLocation;
    if (last?.type === location.type && last.target === location.target) {
      return last.ref;
    }
    const ref = stringifyLocationRef(location);
    this.#lastLocation = { type: location.type, target: location.target, ref };
    return ref;
  }

  #addChild(
    entity: DeferredEntity['entity'],
    locationKey: string | null,
    location: string,
  ): void {
    const ref = toLowerEntityRef(entity);
    const firstLocation = this.#childRefs.get(ref);
    if (firstLocation !== undefined) {
      // Not fatal: the first definition stands and the others still load.
      this.addError(
        new InputError(
          `Entity '${ref}' is defined more than once by entity '${this.#parent.ref}', in '${firstLocation}' and in '${location}'; the first definition is used. Remove or rename the others.`,
        ),
        { fatal: false },
      );
      return;
    }
    this.#childRefs.set(ref, location);
    if (!this.#rules.enforcer.isAllowed(entity, this.#rules.originLocation)) {
      this.#refused.push(
        new NotAllowedError(
          `Entity '${ref}' of kind '${entity.kind}' from '${describeLocationRef(entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '')}' is refused: the catalog rules do not allow kind '${entity.kind}' from location '${describeLocationRef(this.#rules.originLocation)}'. Allow the kind in 'catalog.rules' or in the rules of the location in 'catalog.locations'.`,
        ),
      );
      return;
    }
    const serialized = {
      entityRef: ref,
      json: new OffHeapJson(JSON.stringify(entity)),
      hash: computeStableHash(entity),
    };
    this.#output.deferredEntities.push(
      new CollectedChild(serialized, locationKey),
    );
  }
}

/** A child as it is written: its lowercased ref, its JSON and its hash. */
export interface SerializedChild {
  entityRef: string;
  json: string | OffHeapJson;
  hash: string;
}

/**
 * A child kept as its JSON in a buffer, its entity parsed again on each read:
 * a location can emit a whole catalog in one run, 100,000 entities, which
 * as objects take three times the memory of their JSON (some 290 MB
 * against 100 MB), and as JSON strings still grow V8's heap to several
 * times that (see {@link OffHeapJson}); writing them needs only the JSON
 * and the hash, both computed here once. A class rather than an object
 * with its own getter, which would cost each child a closure and a side
 * table entry (some 20 MB at 100,000 children).
 */
class CollectedChild implements DeferredEntity {
  readonly locationKey?: string;
  readonly #serialized: SerializedChild;

  constructor(serialized: SerializedChild, locationKey: string | null) {
    this.#serialized = serialized;
    if (locationKey !== null) {
      this.locationKey = locationKey;
    }
  }

  get entity(): DeferredEntity['entity'] {
    return JSON.parse(
      this.#serialized.json.toString(),
    ) as DeferredEntity['entity'];
  }

  static serialize(child: DeferredEntity): SerializedChild | undefined {
    return #serialized in child ? child.#serialized : undefined;
  }
}

/**
 * The form in which a child is written: the one computed when a collector
 * received it, or computed now for a child made elsewhere.
 */
export function serializeChild(child: DeferredEntity): SerializedChild {
  const known = CollectedChild.serialize(child);
  if (known) {
    return known;
  }
  const { entity } = child;
  return {
    entityRef: toLowerEntityRef(entity),
    json: JSON.stringify(entity),
    hash: computeStableHash(entity),
  };
}

/**
 * The Location entity for a location a processor found while processing
 * another entity: named as for a registered location, so the same location
 * always gives the same entity, but owned by the location of its parent.
 */
export function toLocationEntity(
  location: LocationSpec,
  parent: { location: string; originLocation: string },
): LocationEntity {
  const { entity } = locationSpecToLocationEntity(location);
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        [ANNOTATION_LOCATION]: parent.location,
        [ANNOTATION_ORIGIN_LOCATION]: parent.originLocation,
      },
    },
  };
}
