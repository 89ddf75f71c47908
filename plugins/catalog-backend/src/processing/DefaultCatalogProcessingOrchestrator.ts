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
import {
  ForwardedError,
  InputError,
  NotAllowedError,
  toError,
} from '@plinth/errors';
import type { LoggerService } from '@plinth/backend-plugin-api';
import {
  DEFAULT_PROCESSOR_PRIORITY,
  type CatalogProcessor,
  type CatalogProcessorParser,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import type { CatalogRulesEnforcer } from '../rules/CatalogRulesEnforcer';
import type {
  CatalogProcessingOrchestrator,
  EntityProcessingResult,
} from './CatalogProcessingOrchestrator';
import { EntityProcessorCache } from './EntityProcessorCache';
import { findKeysDifferingInCase } from './findKeysDifferingInCase';
import { ProcessingOutputCollector } from './ProcessingOutputCollector';
import { findUrlTargetProblem } from '../locations/checkLocationTarget';
import { resolveLocationTarget } from './resolveLocationTarget';
import { toLowerEntityRef } from './toLowerEntityRef';

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
    state?: JsonObject;
    hideResolvedValues?: boolean;
  }): Promise<EntityProcessingResult> {
    let resolved: Entity | undefined;
    const result = await this.#process(request, entity => {
      resolved = entity;
    });
    if (request.hideResolvedValues && resolved) {
      hideIntroducedStrings(result.errors, request.entity, resolved);
    }
    return result;
  }

  async #process(
    request: { entity: Entity; state?: JsonObject },
    onPreProcessed: (entity: Entity) => void,
  ): Promise<EntityProcessingResult> {
    const { validator, logger } = this.#options;
    let entity: Entity;
    let context: RunContext;
    try {
      entity = validator.validateEnvelope(structuredClone(request.entity));
      const ref = toLowerEntityRef(entity);
      const location = readLocationAnnotation(entity, ref);
      const origin =
        entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION] ??
        stringifyLocationRef(location);
      context = {
        ref,
        location,
        originLocation: parseLocationRef(origin),
        collector: new ProcessingOutputCollector({
          parent: {
            ref,
            location: stringifyLocationRef(location),
            originLocation: origin,
          },
          validator,
          logger,
        }),
        cache: new EntityProcessorCache(readCacheState(request.state)),
      };
    } catch (error) {
      return { ok: false, errors: [toError(error)] };
    }
    try {
      entity = await this.#preProcess(entity, context);
      onPreProcessed(entity);
      entity = this.#validate(entity, context.ref);
      await this.#validateKind(entity, context.ref);
      if (entity.kind.toLocaleLowerCase('en-US') === 'location') {
        await this.#readLocations(entity as LocationEntity, context);
      }
      entity = await this.#postProcess(entity, context);
    } catch (error) {
      context.collector.addError(toError(error), { fatal: true });
    }
    const output = context.collector.finish();
    if (output.failed) {
      return { ok: false, errors: output.errors };
    }
    const deferredEntities = output.deferredEntities.filter(child => {
      if (
        this.#options.rulesEnforcer.isAllowed(
          child.entity,
          context.originLocation,
        )
      ) {
        return true;
      }
      output.errors.push(
        new NotAllowedError(
          `Entity '${toLowerEntityRef(child.entity)}' of kind '${child.entity.kind}' from '${describeLocationRef(child.entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '')}' is refused: the catalog rules do not allow kind '${child.entity.kind}' from location '${describeLocationRef(context.originLocation)}'. Allow the kind in 'catalog.rules' or in the rules of the location in 'catalog.locations'.`,
        ),
      );
      return false;
    });
    return {
      ok: true,
      state: { cache: context.cache.collect() },
      completedEntity: entity,
      deferredEntities,
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
  ): Promise<void> {
    const type = entity.spec.type ?? context.location.type;
    const presence = entity.spec.presence ?? 'required';
    const targets = [
      ...(entity.spec.target ? [entity.spec.target] : []),
      ...(entity.spec.targets ?? []),
    ];
    for (const written of targets) {
      const problem = findTargetProblem(context, type, written);
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
      if (!(await this.#readLocation({ type, target, presence }, context))) {
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

/**
 * Why a target of a Location entity cannot be read, as the rest of a
 * sentence after the entity, or `undefined`. A `file` target is read from
 * this server's disk, so only an entity that was itself read from a file
 * (and so, at the root, from a file location in config) may name one: an
 * entity from a URL, whoever registered it, never leads to local files.
 */
function findTargetProblem(
  context: RunContext,
  type: string,
  written: string,
): string | undefined {
  if (type !== 'file') {
    return undefined;
  }
  if (context.location.type !== 'file') {
    return `from '${describeLocationRef(context.location)}' has the file target '${written}', but only entities read from file locations may name files, so that no location from outside the config leads to this server's disk; use a 'url' target`;
  }
  if (/[\\/]$/.test(written)) {
    return `has the file target '${written}', which names a folder; point it at a file, or at files with a glob such as '${written}*.yaml'`;
  }
  return undefined;
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

function readCacheState(state: JsonObject | undefined): JsonObject {
  const cache = state?.cache;
  return typeof cache === 'object' && cache !== null && !Array.isArray(cache)
    ? cache
    : {};
}

/** Strings shorter than this are too common to hide from messages. */
const minHiddenLength = 8;

/**
 * Masks, in the messages of `errors` and their causes, every string that
 * pre-processing brought into the entity (the content of its resolved
 * placeholders, whole and line by line). An entity that a caller sends to
 * be validated may name, in a placeholder, content that the caller could
 * not read otherwise; whatever a processor quotes of it must not go back.
 * The errors were made by this run, so they are changed in place.
 *
 * @remarks
 * Only strings that occur in a message are weighed, so the cost follows
 * the size of the entity and of the messages, not their product with the
 * number of strings the caller sent.
 */
function hideIntroducedStrings(
  errors: readonly Error[],
  before: Entity,
  after: Entity,
): void {
  const chain: Error[] = [];
  for (const error of errors) {
    for (
      let current: unknown = error;
      current instanceof Error && !chain.includes(current);
      current = current.cause
    ) {
      chain.push(current);
    }
  }
  if (chain.length === 0) {
    return;
  }
  const messages = chain.map(error => error.message).join('\n');
  const knownStrings = collectStrings(before);
  const known = new Set(knownStrings);
  const hidden = new Set<string>();
  for (const text of collectStrings(after)) {
    if (known.has(text)) {
      continue;
    }
    for (const part of [text, ...text.split('\n')].map(p => p.trim())) {
      // Annotations derived from the entity's location, such as its view
      // URL, hold parts of strings the caller gave; only new content is
      // hidden.
      if (
        part.length >= minHiddenLength &&
        messages.includes(part) &&
        !knownStrings.some(other => other.includes(part))
      ) {
        hidden.add(part);
      }
    }
  }
  const longestFirst = [...hidden].sort((a, b) => b.length - a.length);
  for (const error of chain) {
    for (const text of longestFirst) {
      error.message = error.message.split(text).join('***');
    }
  }
}

/** Every string in a JSON value, keys included. */
function collectStrings(value: unknown): string[] {
  const strings: string[] = [];
  const pending: unknown[] = [value];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next === 'string') {
      strings.push(next);
    } else if (Array.isArray(next)) {
      pending.push(...(next as unknown[]));
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, item] of Object.entries(next)) {
        strings.push(key);
        pending.push(item);
      }
    }
  }
  return strings;
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
