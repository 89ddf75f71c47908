import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  LoggerService,
  UrlReaderService,
} from '@plinth/backend-plugin-api';
import {
  describeLocationRef,
  stringifyEntityRef,
  stringifyLocationRef,
  type Entity,
} from '@plinth/catalog-model';
import { ForwardedError, InputError, toError } from '@plinth/errors';
import type {
  AnalyzeLocationEntityField,
  AnalyzeLocationExistingEntity,
  AnalyzeLocationGenerateEntity,
  AnalyzeLocationRequest,
  AnalyzeLocationResponse,
  CatalogProcessorParser,
  LocationAnalyzer,
  LocationSpec,
  ScmLocationAnalyzer,
} from '@plinth/plugin-catalog-node';
import type { Knex } from 'knex';

const defaultCatalogFilename = 'catalog-info.yaml';

/** A location that names a YAML file is the catalog file itself. */
function isYamlFile(target: string): boolean {
  const pathname = URL.canParse(target) ? new URL(target).pathname : target;
  return /\.ya?ml$/i.test(pathname);
}

function toCatalogFile(
  location: LocationSpec,
  catalogFilename: string,
): LocationSpec {
  if (location.type === 'file') {
    const target = path.resolve(location.target);
    return {
      type: 'file',
      target: isYamlFile(target) ? target : path.join(target, catalogFilename),
    };
  }
  if (isYamlFile(location.target)) {
    return { type: 'url', target: location.target };
  }
  const folder = location.target.endsWith('/')
    ? location.target
    : `${location.target}/`;
  return { type: 'url', target: new URL(catalogFilename, folder).href };
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** The last path segment of the location, made into a valid entity name. */
function suggestName(location: LocationSpec): string | undefined {
  const pathname = URL.canParse(location.target)
    ? safeDecode(new URL(location.target).pathname)
    : location.target;
  const segment = pathname
    .split(/[\\/]/)
    .filter(Boolean)
    .pop()
    ?.replace(/\.git$/, '');
  const name = segment
    ?.replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '')
    .slice(0, 63)
    .replace(/[^a-zA-Z0-9]+$/, '');
  return name || undefined;
}

function suggestComponent(
  location: LocationSpec,
): AnalyzeLocationGenerateEntity {
  const name = suggestName(location);
  const fields: AnalyzeLocationEntityField[] = [
    name
      ? {
          field: 'metadata.name',
          state: 'analysisSuggestedValue',
          value: name,
          description:
            'The name of the component, from the last part of the location.',
        }
      : {
          field: 'metadata.name',
          state: 'needsUserInput',
          value: null,
          description:
            'The name of the component; the location has no part to take it from.',
        },
    {
      field: 'spec.owner',
      state: 'needsUserInput',
      value: null,
      description:
        'The group or user that owns the component, such as group:default/team-a.',
    },
    {
      field: 'spec.type',
      state: 'analysisSuggestedValue',
      value: 'other',
      description:
        'What the component is, such as service, website or library.',
    },
    {
      field: 'spec.lifecycle',
      state: 'analysisSuggestedValue',
      value: 'unknown',
      description:
        'Where the component is in its life, such as experimental or production.',
    },
  ];
  return {
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      ...(name ? { metadata: { name } } : {}),
      spec: { type: 'other', lifecycle: 'unknown' },
    },
    fields,
  };
}

/**
 * Analyzes a location for `POST /analyze-location`: a registered
 * {@link @plinth/plugin-catalog-node#ScmLocationAnalyzer} that supports
 * the URL goes first; otherwise the location's catalog file is read (the
 * location itself when it names a YAML file, else `catalogFilename` in the
 * folder it names). Its entities are returned as existing, each marked
 * registered when its file is a registered location or already provides
 * it; without a catalog file a Component is suggested.
 *
 * @internal
 */
export class DefaultLocationAnalyzer implements LocationAnalyzer {
  readonly #reader: UrlReaderService;
  readonly #knex: Knex;
  readonly #analyzers: readonly ScmLocationAnalyzer[];
  readonly #logger: LoggerService;
  readonly #parser: CatalogProcessorParser;

  constructor(options: {
    reader: UrlReaderService;
    knex: Knex;
    logger: LoggerService;
    /** Reads the catalog file, as processing reads location files. */
    parser: CatalogProcessorParser;
    analyzers?: readonly ScmLocationAnalyzer[];
  }) {
    this.#reader = options.reader;
    this.#knex = options.knex;
    this.#logger = options.logger;
    this.#parser = options.parser;
    this.#analyzers = options.analyzers ?? [];
  }

  async analyzeLocation(
    request: AnalyzeLocationRequest,
  ): Promise<AnalyzeLocationResponse> {
    const { location } = request;
    const catalogFilename = request.catalogFilename ?? defaultCatalogFilename;
    if (location.type !== 'url' && location.type !== 'file') {
      throw new InputError(
        `Cannot analyze location '${describeLocationRef(location)}': only 'url' and 'file' locations can be analyzed.`,
      );
    }
    const analyzer =
      location.type === 'url'
        ? this.#analyzers.find(a => a.supports(location.target))
        : undefined;
    if (analyzer) {
      const { existing } = await analyzer.analyze({
        url: location.target,
        catalogFilename,
      });
      if (existing.length > 0) {
        return { existingEntityFiles: existing, generateEntities: [] };
      }
    } else {
      const existing = await this.#readCatalogFile(
        toCatalogFile(location, catalogFilename),
      );
      if (existing.length > 0) {
        return { existingEntityFiles: existing, generateEntities: [] };
      }
    }
    this.#logger.debug(
      `No catalog file at '${describeLocationRef(location)}'; suggesting a component.`,
    );
    return {
      existingEntityFiles: [],
      generateEntities: [suggestComponent(location)],
    };
  }

  async #readCatalogFile(
    file: LocationSpec,
  ): Promise<AnalyzeLocationExistingEntity[]> {
    const url =
      file.type === 'file' ? pathToFileURL(file.target).href : file.target;
    let data: Buffer;
    try {
      data = await (await this.#reader.readUrl(url)).buffer();
    } catch (error) {
      const { name } = toError(error);
      if (name === 'NotFoundError') {
        return [];
      }
      // The caller chose the URL: one that cannot be read is their input
      // to fix, not the server's failure.
      if (name === 'UrlFetchError') {
        throw new InputError(
          `Cannot analyze the location '${describeLocationRef(file)}'`,
          error,
        );
      }
      throw error;
    }
    const entities: Entity[] = [];
    for await (const result of this.#parser({ data, location: file })) {
      if (result.type === 'error') {
        throw new ForwardedError(
          `Cannot analyze the catalog file '${describeLocationRef(file)}'`,
          result.error,
        );
      }
      if (result.type === 'entity') {
        entities.push(result.entity);
      }
    }
    const registered = await this.#findRegistered(file, entities);
    return entities.map(entity => ({
      location: file,
      isRegistered: registered.has(entity),
      entity,
    }));
  }

  /** The entities that the catalog already has from this very file. */
  async #findRegistered(
    file: LocationSpec,
    entities: Entity[],
  ): Promise<Set<Entity>> {
    const [location] = await this.#knex<{
      id: string;
      type: string;
      target: string;
    }>('locations')
      .where({ type: file.type, target: file.target })
      .select('id');
    if (location) {
      return new Set(entities);
    }
    const refs = new Map(
      entities.flatMap(entity => {
        try {
          return [[stringifyEntityRef(entity).toLowerCase(), entity] as const];
        } catch {
          return [];
        }
      }),
    );
    const rows = await this.#knex<{
      entity_ref: string;
      location_key: string | null;
    }>('refresh_state')
      .whereIn('entity_ref', [...refs.keys()])
      .where({ location_key: stringifyLocationRef(file) })
      .select('entity_ref');
    return new Set(rows.map(row => refs.get(row.entity_ref)!));
  }
}
