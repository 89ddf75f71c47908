import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { UrlReaderService } from '@plinth/backend-plugin-api';
import {
  describeLocationRef,
  stringifyEntityRef,
  type Entity,
  type JsonValue,
} from '@plinth/catalog-model';
import {
  ForwardedError,
  InputError,
  NotAllowedError,
  redactUrl,
} from '@plinth/errors';
import {
  processingResult,
  type CatalogProcessor,
  type ConfigFileReader,
  type CatalogProcessorEmit,
  type LocationSpec,
  type PlaceholderResolver,
  type PlaceholderResolverParams,
} from '@plinth/plugin-catalog-node';
import { parseAllDocuments } from 'yaml';

/**
 * An entity with more placeholders is refused before any is read: each one
 * may be a read of a remote file, and an entity comes from whoever can
 * register a location or call `POST /validate-entity`.
 */
const maxPlaceholders = 100;
/** How many of one entity's placeholder reads run at once. */
const maxConcurrentReads = 4;

/** What every placeholder of one entity shares. */
interface ResolveContext {
  entity: Entity;
  location: LocationSpec;
  originLocation: LocationSpec;
  read: PlaceholderResolverParams['read'];
  baseUrl: string;
  emit: CatalogProcessorEmit;
}

/**
 * The URL relative placeholders resolve against: the file of a `file`
 * location, the target of any other.
 */
function toBaseUrl(location: LocationSpec): string {
  return location.type === 'file'
    ? pathToFileURL(path.resolve(location.target)).href
    : location.target;
}

function resolveUrl(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    throw new InputError(
      `'${url}' is neither an absolute URL nor a path relative to '${base}'.`,
    );
  }
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/**
 * Replaces `{ $text: ./README.md }`-style placeholders anywhere in an
 * entity with what their resolver returns, reading relative paths against
 * the entity's own location.
 *
 * @remarks
 * An object is a placeholder when its only key is `$` plus the name of a
 * known resolver; other `$` keys (such as JSON schema's `$ref`) are left
 * alone. Entities read from a non-file location may not read local files.
 * Every URL read becomes a refresh key of the entity.
 *
 * @internal
 */
export class PlaceholderProcessor implements CatalogProcessor {
  readonly #resolvers: ReadonlyMap<string, PlaceholderResolver>;
  readonly #reader: UrlReaderService;
  readonly #files: ConfigFileReader;

  /**
   * `resolvers` maps a placeholder name without its `$` to its resolver;
   * `files` reads the `file:` URLs of entities from file locations.
   */
  constructor(options: {
    resolvers: Readonly<Record<string, PlaceholderResolver>>;
    reader: UrlReaderService;
    files: ConfigFileReader;
  }) {
    this.#resolvers = new Map(Object.entries(options.resolvers));
    this.#reader = options.reader;
    this.#files = options.files;
  }

  getProcessorName(): string {
    return 'PlaceholderProcessor';
  }

  /** Before every other processor, so they all see the resolved entity. */
  getPriority(): number {
    return 10;
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    originLocation: LocationSpec,
  ): Promise<Entity> {
    const count = this.#countPlaceholders(entity);
    if (count > maxPlaceholders) {
      throw new InputError(
        `Entity '${stringifyEntityRef(entity)}' from location '${describeLocationRef(location)}' has ${count} placeholders, more than the ${maxPlaceholders} one entity may have. Gather the content into fewer files.`,
      );
    }
    // Most entities have none; the walk below rebuilds every object and
    // array it visits, which was a tenth of processing at 100,000 entities.
    if (count === 0) {
      return entity;
    }
    const baseUrl = toBaseUrl(location);
    const gate = createGate(maxConcurrentReads);
    const context: ResolveContext = {
      entity,
      location,
      originLocation,
      baseUrl,
      emit,
      read: url => gate(() => this.#read(url, context)),
    };
    const resolved = await this.#walk(entity, '', context);
    return resolved as Entity;
  }

  /** The placeholders {@link PlaceholderProcessor.#walk} would resolve. */
  #countPlaceholders(entity: Entity): number {
    let count = 0;
    const pending: JsonValue[] = [entity];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (Array.isArray(next)) {
        pending.push(...next);
      } else if (isObject(next)) {
        const keys = Object.keys(next);
        if (
          keys.length === 1 &&
          keys[0].startsWith('$') &&
          this.#resolvers.has(keys[0].slice(1))
        ) {
          count += 1;
        } else {
          pending.push(...Object.values(next));
        }
      }
    }
    return count;
  }

  async #walk(
    value: JsonValue,
    keyPath: string,
    context: ResolveContext,
  ): Promise<JsonValue> {
    if (Array.isArray(value)) {
      return Promise.all(
        value.map((item, index) =>
          this.#walk(item, `${keyPath}[${index}]`, context),
        ),
      );
    }
    if (!isObject(value)) {
      return value;
    }
    const keys = Object.keys(value);
    const resolver =
      keys.length === 1 && keys[0].startsWith('$')
        ? this.#resolvers.get(keys[0].slice(1))
        : undefined;
    if (resolver) {
      return this.#resolve(resolver, keys[0], value[keys[0]], keyPath, context);
    }
    const entries = await Promise.all(
      keys.map(
        async key =>
          [
            key,
            await this.#walk(value[key], joinPath(keyPath, key), context),
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  }

  async #resolve(
    resolver: PlaceholderResolver,
    placeholder: string,
    value: JsonValue,
    keyPath: string,
    context: ResolveContext,
  ): Promise<JsonValue> {
    try {
      return await resolver({
        key: placeholder.slice(1),
        value,
        baseUrl: context.baseUrl,
        read: context.read,
        resolveUrl,
        emit: context.emit,
      });
    } catch (error) {
      throw new ForwardedError(
        `Could not resolve placeholder '${placeholder}' with value ${JSON.stringify(value)} at '${keyPath}' of entity '${stringifyEntityRef(context.entity)}' from location '${describeLocationRef(context.location)}'`,
        error,
      );
    }
  }

  async #read(url: string, context: ResolveContext): Promise<Buffer> {
    const scheme = URL.canParse(url) ? new URL(url).protocol : '';
    const isFile = scheme === 'file:';
    // By the type of the entity's location, never by how its target reads:
    // a 'url' location whose target is a file: URL is not a file location.
    if (isFile && context.location.type !== 'file') {
      throw new NotAllowedError(
        `'${url}' is a local file, and only entities read from file locations may read local files. Use a URL of the same host as the entity instead.`,
      );
    }
    if (!isFile && scheme !== 'http:' && scheme !== 'https:') {
      throw new NotAllowedError(
        `'${redactUrl(url)}' has the scheme '${scheme}', and placeholders read only http: and https: URLs, or files for entities from file locations.`,
      );
    }
    if (isFile) {
      const filePath = fileURLToPath(url);
      const data = await this.#files.readFile(filePath, context.originLocation);
      context.emit(processingResult.refresh(`file:${filePath}`));
      return data;
    }
    const response = await this.#reader.readUrl(url);
    context.emit(processingResult.refresh(`url:${url}`));
    return response.buffer();
  }
}

/**
 * Runs tasks with at most `limit` of them in flight; a finishing task hands
 * its slot straight to the next waiting one.
 */
function createGate(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < limit) {
      running += 1;
    } else {
      await new Promise<void>(resolve => waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) {
        next();
      } else {
        running -= 1;
      }
    }
  };
}

async function readText(
  params: PlaceholderResolverParams,
): Promise<{ url: string; text: string }> {
  const { key, value, baseUrl, read, resolveUrl } = params;
  if (typeof value !== 'string') {
    throw new InputError(
      `$${key} needs a string, an absolute URL or a path relative to the entity's file, got ${JSON.stringify(value)}.`,
    );
  }
  const url = resolveUrl(value, baseUrl);
  return { url, text: (await read(url)).toString('utf8') };
}

const text: PlaceholderResolver = async params => (await readText(params)).text;

// Parse errors say where, never what: the messages of JSON.parse and of
// the YAML parser quote the content around the problem, and these errors
// reach entities' status and the responses of the catalog's API.

const json: PlaceholderResolver = async params => {
  const { url, text: content } = await readText(params);
  try {
    return JSON.parse(content) as JsonValue;
  } catch (error) {
    const position = /at position (\d+)/.exec(String(error))?.[1];
    const where =
      position === undefined
        ? ''
        : ` at ${describePosition(content, Number(position))}`;
    throw new InputError(
      `'${redactUrl(url)}' is not valid JSON${where}. Fix the file, or use $text to embed it as a string.`,
    );
  }
};

const yaml: PlaceholderResolver = async params => {
  const { url, text: content } = await readText(params);
  const documents = parseAllDocuments(content);
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.length !== 1) {
    throw new InputError(
      `'${redactUrl(url)}' holds ${list.length} YAML documents, but $yaml embeds exactly one. Split the file, or use $text to embed it as a string.`,
    );
  }
  const [document] = list;
  const [error] = document.errors;
  if (error) {
    throw new InputError(
      `'${redactUrl(url)}' is not valid YAML at ${describePosition(content, error.pos[0])} (${error.code}). Fix the file, or use $text to embed it as a string.`,
    );
  }
  return document.toJS() as JsonValue;
};

/** `line L, column C` of a character offset, both counted from 1. */
function describePosition(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * The placeholders every catalog understands: `$text` embeds a file as a
 * string, `$json` and `$yaml` embed its parsed content.
 *
 * @internal
 */
export const builtinPlaceholderResolvers: Readonly<
  Record<string, PlaceholderResolver>
> = Object.freeze({ text, json, yaml });
