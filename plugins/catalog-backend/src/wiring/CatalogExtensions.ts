import type { EntityKindSchema, FieldValidators } from '@plinth/catalog-model';
import { ConflictError, InputError } from '@plinth/errors';
import type {
  CatalogAnalysisExtensionPoint,
  CatalogLocationsExtensionPoint,
  CatalogModelExtensionPoint,
  CatalogModelSource,
  CatalogProcessingErrorHandler,
  CatalogProcessingExtensionPoint,
  CatalogProcessor,
  CatalogProcessorParser,
  EntityProvider,
  LocationAnalyzer,
  PlaceholderResolver,
  ScmLocationAnalyzer,
} from '@plinth/plugin-catalog-node';
import type {
  CatalogPermissionExtensionPoint,
  CatalogPermissionRuleInput,
} from '@plinth/plugin-catalog-node/alpha';
import { builtinPlaceholderResolvers } from '../processors/PlaceholderProcessor';

/**
 * What the catalog's modules added through its five extension points,
 * checked as it arrives so a clash names the module's value at once.
 *
 * @internal
 */
export class CatalogExtensions {
  readonly processors: CatalogProcessor[] = [];
  readonly providers: EntityProvider[] = [];
  readonly placeholderResolvers: Record<string, PlaceholderResolver> = {
    ...builtinPlaceholderResolvers,
  };
  readonly scmLocationAnalyzers: ScmLocationAnalyzer[] = [];
  readonly kindSchemas: EntityKindSchema[] = [];
  readonly modelSources: CatalogModelSource[] = [];
  fieldValidators: Partial<FieldValidators> = {};
  entityDataParser?: CatalogProcessorParser;
  /** Builds the analyzer a module set, from the collected SCM analyzers. */
  locationAnalyzerFactory?: (options: {
    scmLocationAnalyzers: ScmLocationAnalyzer[];
  }) => Promise<{ locationAnalyzer: LocationAnalyzer }>;
  onProcessingError?: CatalogProcessingErrorHandler;
  allowedLocationTypes?: string[];
  /** Registered with the built-in rules for 'catalog-entity'. */
  readonly permissionRules: CatalogPermissionRuleInput[] = [];

  readonly processing: CatalogProcessingExtensionPoint = {
    addProcessor: (...processors) => {
      for (const processor of processors.flat()) {
        this.#assertUniqueName(
          'processor',
          processor.getProcessorName(),
          this.processors.map(p => p.getProcessorName()),
        );
        this.processors.push(processor);
      }
    },
    addEntityProvider: (...providers) => {
      for (const provider of providers.flat()) {
        this.#assertUniqueName(
          'entity provider',
          provider.getProviderName(),
          this.providers.map(p => p.getProviderName()),
        );
        this.providers.push(provider);
      }
    },
    addPlaceholderResolver: (key, resolver) => {
      if (!/^[a-zA-Z][\w-]*$/.test(key)) {
        throw new InputError(
          `Placeholder key '${key}' is invalid; use letters, digits, '_' and '-', starting with a letter, without the '$'.`,
        );
      }
      if (key in this.placeholderResolvers) {
        throw new ConflictError(
          `Placeholder '$${key}' already has a resolver${key in builtinPlaceholderResolvers ? ' built into the catalog' : ''}; choose another key.`,
        );
      }
      this.placeholderResolvers[key] = resolver;
    },
    setOnProcessingErrorHandler: handler => {
      this.onProcessingError = handler;
    },
  };

  readonly analysis: CatalogAnalysisExtensionPoint = {
    setLocationAnalyzer: analyzerOrFactory => {
      if (this.locationAnalyzerFactory) {
        throw new ConflictError(
          `A location analyzer for the catalog was set twice; only one module may replace the analyzer behind 'POST /analyze-location', so remove one of them.`,
        );
      }
      this.locationAnalyzerFactory =
        typeof analyzerOrFactory === 'function'
          ? analyzerOrFactory
          : async () => ({ locationAnalyzer: analyzerOrFactory });
    },
    addScmLocationAnalyzer: analyzer => {
      this.scmLocationAnalyzers.push(analyzer);
    },
  };

  readonly model: CatalogModelExtensionPoint = {
    setFieldValidators: validators => {
      this.fieldValidators = { ...this.fieldValidators, ...validators };
    },
    addEntitySchema: schema => {
      this.kindSchemas.push(schema);
    },
    setEntityDataParser: parser => {
      if (this.entityDataParser) {
        throw new ConflictError(
          `An entity data parser for the catalog was set twice; only one module may replace the parser of location files, so remove one of them.`,
        );
      }
      this.entityDataParser = parser;
    },
    addModelSource: source => {
      this.modelSources.push(source);
    },
  };

  readonly locations: CatalogLocationsExtensionPoint = {
    setAllowedLocationTypes: types => {
      const invalid = types.filter(
        type => typeof type !== 'string' || !/^[a-z][\w-]*$/i.test(type),
      );
      if (invalid.length > 0 || types.length === 0) {
        throw new InputError(
          `Allowed location types must be a non-empty list of names such as 'url'; got ${JSON.stringify(types)}.`,
        );
      }
      this.allowedLocationTypes = [...types];
    },
  };

  readonly permission: CatalogPermissionExtensionPoint = {
    addPermissionRules: (...rules) => {
      this.permissionRules.push(...rules.flat());
    },
  };

  #assertUniqueName(what: string, name: string, taken: string[]): void {
    if (taken.includes(name)) {
      throw new ConflictError(
        `A catalog ${what} named '${name}' was added twice; each needs a unique name, as entities are keyed and logged by it.`,
      );
    }
  }
}
