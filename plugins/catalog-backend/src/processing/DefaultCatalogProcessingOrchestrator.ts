import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  DEFAULT_NAMESPACE,
  describeLocationRef,
  parseLocationRef,
  stringifyLocationRef,
  type Entity,
  type EntityValidator,
  type JsonObject,
  type LocationEntity,
} from '@plinth/catalog-model';
import { ForwardedError, InputError, toError } from '@plinth/errors';
import type { LoggerService } from '@plinth/backend-plugin-api';
import {
  DEFAULT_PROCESSOR_PRIORITY,
  type CatalogProcessor,
  type CatalogProcessorParser,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import type { CatalogRulesEnforcer } from './DefaultCatalogRulesEnforcer';
import type {
  CatalogProcessingOrchestrator,
  EntityProcessingResult,
} from './CatalogProcessingOrchestrator';
import { EntityProcessorCache } from './EntityProcessorCache';
import { ProcessingOutputCollector } from './ProcessingOutputCollector';
import { findUrlTargetProblem } from '../locations/checkLocationTarget';
import { findTargetProblem, resolveLocationTarget } from './locationTargets';
import { hideIntroducedStrings } from './hideIntroducedStrings';
import { originLocationScope } from './originLocationScope';
import { toLowerEntityRef } from '../shared/toLowerEntityRef';

/** Options of {@link DefaultCatalogProcessingOrchestrator}. */
export interface DefaultCatalogProcessingOrchestratorOptions {
  processors: CatalogProcessor[];
  rulesEnforcer: CatalogRulesEnforcer;
  validator: EntityValidator;
  parser: CatalogProcessorParser;
  logger: LoggerService;
}

interface RunContext {
  ref: string;
  location: LocationSpec;
  originLocation: LocationSpec;
  collector: ProcessingOutputCollector;
  cache: EntityProcessorCache;
}

/**
 * Processes one entity: pre-processing, envelope validation, kind
 * validation (the entity schemas and every processor's
 * `validateEntityKind`; at least one must know the kind), reading the
 * targets of Location entities, post-processing, and the catalog rules for
 * every child. Processors run by priority, then in the order they were
 * added.
 */
export class DefaultCatalogProcessingOrchestrator implements CatalogProcessingOrchestrator {
  readonly #processors: CatalogProcessor[];
  readonly #options: DefaultCatalogProcessingOrchestratorOptions;

  constructor(options: DefaultCatalogProcessingOrchestratorOptions) {
    this.#options = options;
    // Array sort is stable: equal priorities keep the order of addition.
    this.#processors = [...options.processors].sort(
      (a, b) =>
        (a.getPriority?.() ?? DEFAULT_PROCESSOR_PRIORITY) -
        (b.getPriority?.() ?? DEFAULT_PROCESSOR_PRIORITY),
    );
  }

  async process(request: {
    entity: Entity;
    cache?: JsonObject;
    hideResolvedValues?: boolean;
    mayChangeEntity?: boolean;
    readLocationTargets?: boolean;
  }): Promise<EntityProcessingResult> {
    let resolved: Entity | undefined;
    const result = await this.#process(
      {
        entity: request.entity,
        cache: request.cache,
        readLocationTargets: request.readLocationTargets ?? true,
        // Hiding compares what pre-processing made of the entity with the
        // entity as sent, so it always needs the original kept.
        copy: !request.mayChangeEntity || request.hideResolvedValues === true,
      },
      entity => {
        resolved = entity;
      },
    );
    if (request.hideResolvedValues && resolved) {
      hideIntroducedStrings(result.errors, request.entity, resolved);
    }
    return result;
  }

  async #process(
    request: {
      entity: Entity;
      cache?: JsonObject;
      copy: boolean;
      readLocationTargets: boolean;
    },
    onPreProcessed: (entity: Entity) => void,
  ): Promise<EntityProcessingResult> {
    const { validator, logger } = this.#options;
    let entity: Entity;
    let context: RunContext;
    try {
      entity = validator.validateEnvelope(
        request.copy ? structuredClone(request.entity) : request.entity,
      );
      const ref = toLowerEntityRef(entity);
      const location = readLocationAnnotation(entity, ref);
      const origin =
        entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION] ??
        stringifyLocationRef(location);
      const originLocation = parseLocationRef(origin);
      context = {
        ref,
        location,
        originLocation,
        collector: new ProcessingOutputCollector({
          parent: {
            ref,
            location: stringifyLocationRef(location),
            originLocation: origin,
          },
          validator,
          rules: { enforcer: this.#options.rulesEnforcer, originLocation },
          logger,
        }),
        cache: new EntityProcessorCache(request.cache ?? {}),
      };
    } catch (error) {
      return { ok: false, errors: [toError(error)] };
    }
    try {
      entity = await this.#preProcess(entity, context);
      onPreProcessed(entity);
      entity = this.#validate(entity, context.ref);
      await this.#validateKind(entity, context.ref);
      if (entity.kind.toLowerCase() === 'location') {
        const location = entity as LocationEntity;
        await originLocationScope.run(context.originLocation, () =>
          this.#readLocations(location, context, request.readLocationTargets),
        );
      }
      entity = await this.#postProcess(entity, context);
    } catch (error) {
      context.collector.addError(toError(error), { fatal: true });
    }
    const output = context.collector.finish();
    if (output.failed) {
      return { ok: false, errors: output.errors };
    }
    return {
      ok: true,
      cache: context.cache.collect(),
      completedEntity: entity,
      deferredEntities: output.deferredEntities,
      relations: output.relations,
      refreshKeys: output.refreshKeys,
      errors: output.errors,
    };
  }

  async #preProcess(entity: Entity, context: RunContext): Promise<Entity> {
    let current = entity;
    for (const processor of this.#processors) {
      if (processor.preProcessEntity) {
        const name = processor.getProcessorName();
        current = await wrapFailure(
          `Processor '${name}' failed to pre-process entity '${context.ref}'`,
          () =>
            processor.preProcessEntity!(
              current,
              context.location,
              context.collector.emitFor(name),
              context.originLocation,
              context.cache.forScope(name),
            ),
        );
      }
    }
    return current;
  }

  /** The envelope again, after processors changed the entity. */
  #validate(entity: Entity, ref: string): Entity {
    const valid = this.#options.validator.validateEnvelope(entity);
    valid.metadata.namespace ??= DEFAULT_NAMESPACE;
    const newRef = toLowerEntityRef(valid);
    if (newRef !== ref) {
      throw new InputError(
        `Processing changed the ref of entity '${ref}' to '${newRef}'; processors must not change the kind, namespace or name of an entity.`,
      );
    }
    const clashes = findKeysDifferingInCase(valid);
    if (clashes.length > 0) {
      throw new InputError(
        `Entity '${ref}' has fields whose paths differ only in case: ${clashes.join(', ')}. Field paths are compared without case; rename one of each pair.`,
      );
    }
    return valid;
  }

  async #validateKind(entity: Entity, ref: string): Promise<void> {
    let known = this.#options.validator.validateKind(entity);
    for (const processor of this.#processors) {
      if (processor.validateEntityKind) {
        const accepted = await wrapFailure(
          `Processor '${processor.getProcessorName()}' rejected entity '${ref}'`,
          () => processor.validateEntityKind!(entity),
        );
        known ||= accepted;
      }
    }
    if (!known) {
      throw new InputError(
        `No processor recognized the entity '${ref}' of kind '${entity.kind}' and apiVersion '${entity.apiVersion}'; check the kind and apiVersion for typos, or add a processor or an entity schema that knows this kind.`,
      );
    }
  }

  async #readLocations(
    entity: LocationEntity,
    context: RunContext,
    read: boolean,
  ): Promise<void> {
    const type = entity.spec.type ?? context.location.type;
    const presence = entity.spec.presence ?? 'required';
    const targets = [
      ...(entity.spec.target ? [entity.spec.target] : []),
      ...(entity.spec.targets ?? []),
    ];
    for (const written of targets) {
      const problem = findTargetProblem(context.location, type, written);
      if (problem) {
        context.collector.addError(
          new InputError(`Location entity '${context.ref}' ${problem}.`),
          { fatal: true },
        );
        continue;
      }
      const target = resolveLocationTarget(context.location, type, written);
      const urlProblem =
        type === 'url' ? findUrlTargetProblem(target) : undefined;
      if (urlProblem) {
        context.collector.addError(
          new InputError(
            `Location entity '${context.ref}' has the url target '${describeLocationRef({ type, target })}', which cannot be read: ${urlProblem}.`,
          ),
          { fatal: true },
        );
        continue;
      }
      if (
        read &&
        !(await this.#readLocation({ type, target, presence }, context))
      ) {
        throw new InputError(
          `No processor can read location '${describeLocationRef({ type, target })}' of entity '${context.ref}'; add a processor that reads locations of type '${type}', or fix the type.`,
        );
      }
    }
  }

  async #readLocation(
    location: LocationSpec,
    context: RunContext,
  ): Promise<boolean> {
    const ref = stringifyLocationRef(location);
    const shown = describeLocationRef(location);
    for (const processor of this.#processors) {
      if (processor.readLocation) {
        const name = processor.getProcessorName();
        const read = await wrapFailure(
          `Processor '${name}' failed to read location '${shown}' of entity '${context.ref}'`,
          () =>
            processor.readLocation!(
              location,
              location.presence === 'optional',
              context.collector.emitFor(name),
              this.#options.parser,
              context.cache.forScope(`${name}:${ref}`),
            ),
        );
        if (read) {
          return true;
        }
      }
    }
    return false;
  }

  async #postProcess(entity: Entity, context: RunContext): Promise<Entity> {
    let current = entity;
    for (const processor of this.#processors) {
      if (processor.postProcessEntity) {
        const name = processor.getProcessorName();
        current = await wrapFailure(
          `Processor '${name}' failed to post-process entity '${context.ref}'`,
          () =>
            processor.postProcessEntity!(
              current,
              context.location,
              context.collector.emitFor(name),
              context.cache.forScope(name),
            ),
        );
      }
    }
    return current;
  }
}

function readLocationAnnotation(entity: Entity, ref: string): LocationSpec {
  const value = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  if (typeof value !== 'string' || value === '') {
    throw new InputError(
      `Entity '${ref}' has no '${ANNOTATION_LOCATION}' annotation; the entity provider that gave it must set it to the entity's location, such as 'url:https://example.com/catalog-info.yaml'.`,
    );
  }
  return parseLocationRef(value);
}

/** Runs a processor step, adding which processor and step failed. */
async function wrapFailure<T>(
  context: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new ForwardedError(context, error);
  }
}

/**
 * The dotted paths of an entity that differ from another path only in
 * case, such as `spec.owner` and `spec.Owner`: the search index lowercases
 * paths, so it could not tell them apart.
 */
export function findKeysDifferingInCase(entity: unknown): string[] {
  const seen = new Map<string, string>();
  const clashes = new Set<string>();
  const visit = (value: unknown, prefix: string) => {
    if (value === null || typeof value !== 'object') {
      return;
    }
    if (Array.isArray(value)) {
      value.forEach(item => visit(item, prefix));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const lower = path.toLowerCase();
      const first = seen.get(lower);
      if (first === undefined) {
        seen.set(lower, path);
      } else if (first !== path) {
        clashes.add(`'${first}' and '${path}'`);
      }
      visit(child, path);
    }
  };
  visit(entity, '');
  return [...clashes];
}
