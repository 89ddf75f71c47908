import type { LoggerService } from '@plinth/backend-plugin-api';
import type { EntityKindSchema } from '@plinth/catalog-model';
import {
  ConflictError,
  ForwardedError,
  InputError,
  describeValue,
} from '@plinth/errors';
import type {
  CatalogModelLayer,
  CatalogModelSource,
} from '@plinth/plugin-catalog-node';

const backstageLayerType = '@backstage/CatalogModelLayer';

/**
 * Reads the layers of the model sources that modules added through
 * `catalog.model`, each source's first yield, as Backstage's catalog does,
 * and returns the kind schemas they hold, in the order of the sources.
 *
 * @throws {@link @plinth/errors#InputError} for a layer that is not a
 *   Plinth layer (a Backstage layer included), naming it.
 * @throws {@link @plinth/errors#ConflictError} when two different layers
 *   share an id.
 * @throws {@link @plinth/errors#ForwardedError} when a source fails to read.
 * @internal
 */
export async function readCatalogModelSources(options: {
  sources: readonly CatalogModelSource[];
  signal: AbortSignal;
  logger: LoggerService;
}): Promise<EntityKindSchema[]> {
  const { sources, signal, logger } = options;
  const perSource = await Promise.all(
    sources.map((source, index) =>
      readFirstYield(source, signal).catch(error => {
        throw new ForwardedError(
          `Catalog model source ${index + 1} of ${sources.length} failed to read its layers`,
          error,
        );
      }),
    ),
  );
  const byId = new Map<string, { layer: CatalogModelLayer; json: string }>();
  for (const layer of perSource.flat()) {
    assertPlinthLayer(layer);
    const json = JSON.stringify(layer.kindSchemas ?? []);
    const seen = byId.get(layer.layerId);
    if (seen && seen.json !== json) {
      throw new ConflictError(
        `Two different catalog model layers have the id '${layer.layerId}'; a layer id names one layer, so give one of them another id.`,
      );
    }
    if (!seen) {
      byId.set(layer.layerId, { layer, json });
      logger.info(`Loaded catalog model layer '${layer.layerId}'`);
    }
  }
  return [...byId.values()].flatMap(({ layer }) => [
    ...(layer.kindSchemas ?? []),
  ]);
}

async function readFirstYield(
  source: CatalogModelSource,
  signal: AbortSignal,
): Promise<CatalogModelLayer[]> {
  const iterator = source.read({ signal });
  try {
    const first = await iterator.next();
    const data: unknown = first.done ? [] : first.value?.data;
    if (!Array.isArray(data)) {
      throw new InputError(
        `A catalog model source yielded ${describeValue(data)} as 'data'; yield { data: [{ layer }] }.`,
      );
    }
    return data.map(entry => (entry as { layer: CatalogModelLayer }).layer);
  } finally {
    // The catalog takes the model once; later yields are not awaited.
    await iterator.return(undefined);
  }
}

function assertPlinthLayer(layer: unknown): asserts layer is CatalogModelLayer {
  const candidate = layer as Partial<CatalogModelLayer> & { $$type?: unknown };
  const id =
    typeof candidate?.layerId === 'string' && candidate.layerId !== ''
      ? candidate.layerId
      : undefined;
  if (candidate?.$$type === backstageLayerType) {
    throw new InputError(
      `Catalog model layer '${id ?? 'without id'}' was made by Backstage's createCatalogModelLayer, whose compiled definitions only Backstage's catalog reads; give Plinth's catalog a layer of kind schemas, { layerId, kindSchemas: [{ schema }] }, or add the schemas with addEntitySchema.`,
    );
  }
  if (!id) {
    throw new InputError(
      `A catalog model layer has no 'layerId' (got ${describeValue(layer)}); give each layer a non-empty id such as 'example.com/kind-template'.`,
    );
  }
  if (
    candidate.kindSchemas !== undefined &&
    !Array.isArray(candidate.kindSchemas)
  ) {
    throw new InputError(
      `Catalog model layer '${id}' has 'kindSchemas' of ${describeValue(candidate.kindSchemas)}; give a list of kind schemas, [{ schema }].`,
    );
  }
}
