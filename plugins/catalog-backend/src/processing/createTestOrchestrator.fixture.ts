import { MockLoggerService } from '@plinth/backend-test-utils';
import {
  createEntityValidator,
  type Entity,
  type JsonObject,
} from '@plinth/catalog-model';
import {
  defaultEntityDataParser,
  processingResult,
  type CatalogProcessor,
  type LocationSpec,
} from '@plinth/plugin-catalog-node';
import type { CatalogRulesEnforcer } from './DefaultCatalogRulesEnforcer';
import type { EntityProcessingResult } from './CatalogProcessingOrchestrator';
import { DefaultCatalogProcessingOrchestrator } from './DefaultCatalogProcessingOrchestrator';

const allowAll: CatalogRulesEnforcer = { isAllowed: () => true };

/** A valid Component entity read from `file:/repo/catalog-info.yaml`. */
export function component(
  name: string,
  extra: Partial<Entity['metadata']> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml',
        'backstage.io/managed-by-origin-location':
          'file:/repo/catalog-info.yaml',
      },
      ...extra,
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

/** A Location entity named `root` with the given spec. */
export function location(
  spec: JsonObject,
  managedBy = 'file:/repo/root.yaml',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: 'root',
      annotations: {
        'backstage.io/managed-by-location': managedBy,
        'backstage.io/managed-by-origin-location': 'file:/repo/root.yaml',
      },
    },
    spec,
  };
}

/** Reads in-memory files for locations of type `file` and `url`. */
export function fileReader(
  files: Record<string, string>,
  reads: LocationSpec[] = [],
): CatalogProcessor {
  return {
    getProcessorName: () => 'MemoryReader',
    async readLocation(spec, optional, emit, parser) {
      if (spec.type !== 'file' && spec.type !== 'url') {
        return false;
      }
      reads.push(spec);
      const content = files[spec.target];
      if (content === undefined) {
        if (!optional) {
          emit(
            processingResult.notFoundError(spec, `No file at '${spec.target}'`),
          );
        }
        return true;
      }
      for await (const result of parser({
        data: Buffer.from(content),
        location: spec,
      })) {
        emit(result);
      }
      return true;
    },
  };
}

/** An orchestrator over the processors, allowing every kind unless told. */
export function createTestOrchestrator(
  processors: CatalogProcessor[],
  options: {
    rulesEnforcer?: CatalogRulesEnforcer;
    logger?: MockLoggerService;
  } = {},
) {
  return new DefaultCatalogProcessingOrchestrator({
    processors,
    rulesEnforcer: options.rulesEnforcer ?? allowAll,
    validator: createEntityValidator(),
    parser: defaultEntityDataParser,
    logger: options.logger ?? MockLoggerService.create(),
  });
}

/** The result, asserted to be `ok`. */
export function expectOk(result: EntityProcessingResult) {
  if (!result.ok) {
    throw new Error(
      `expected ok, got ${result.errors.map(e => e.message).join('; ')}`,
    );
  }
  return result;
}

/** The messages of the result's errors. */
export function messages(result: EntityProcessingResult): string[] {
  return result.errors.map(e => e.message);
}
