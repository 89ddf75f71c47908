import type { EntityKindSchema } from '@plinth/catalog-model';

/**
 * A named part of the catalog's entity model: kind schemas that the
 * catalog checks entities against, as it checks those of
 * `addEntitySchema`.
 *
 * @remarks
 * Backstage's layers (`$$type: '@backstage/CatalogModelLayer'`, from
 * `createCatalogModelLayer` of `@backstage/catalog-model/alpha`) hold their
 * definitions in a compiled form that only Backstage's catalog reads;
 * Plinth's catalog refuses them at start with a message that says so.
 *
 * @public
 */
export interface CatalogModelLayer {
  /**
   * Names the layer in logs and errors, such as `example.com/kind-template`.
   * Two layers with one id must be the same layer.
   */
  readonly layerId: string;
  /**
   * The schemas of whole entities that this layer adds: an entity must pass
   * every schema that pins its kind and apiVersion, so a schema for a
   * known kind tightens it and one for a new kind adds it.
   *
   * @defaultValue `[]`
   */
  readonly kindSchemas?: readonly EntityKindSchema[];
}

/**
 * Options of {@link CatalogModelSource.read}.
 *
 * @public
 */
export interface CatalogModelSourceReadOptions {
  /** Aborted when the backend shuts down. */
  signal?: AbortSignal;
}

/**
 * A source of {@link CatalogModelLayer}s, with Backstage's shape: `read`
 * yields the layers, and the catalog takes the first yield when it starts.
 *
 * @example
 * ```ts
 * catalogModel.addModelSource({
 *   async *read() {
 *     yield { data: [{ layer: { layerId: 'example.com/templates', kindSchemas: [templateSchema] } }] };
 *   },
 * });
 * ```
 * @public
 */
export interface CatalogModelSource {
  read(
    options?: CatalogModelSourceReadOptions,
  ): AsyncGenerator<{ data: Array<{ layer: CatalogModelLayer }> }, void, void>;
}
