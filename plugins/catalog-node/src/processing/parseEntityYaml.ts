import { describeLocationRef, type Entity } from '@plinth/catalog-model';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { skipIndentation } from '@plinth/errors';
import { Composer, LineCounter, Parser } from 'yaml';
import type { CatalogProcessorParser, LocationSpec } from './CatalogProcessor';
import {
  processingResult,
  type CatalogProcessorResult,
} from './processingResult';

/**
 * Parses YAML content with one entity per document into processing
 * results; a document that is not valid YAML or not an object becomes an
 * input error naming the location and the line, and the other documents
 * are still emitted.
 *
 * @remarks
 * Well-formed documents, nearly all of them, are read by js-yaml, about
 * ten times faster than `yaml` (150 ms against 15 ms per thousand
 * entities here). From the first document js-yaml refuses, or that is not
 * an object, the rest of the file is read again with `yaml`, which keeps
 * going past a bad document and tells where each problem is. Both read
 * YAML 1.2's core schema, so values mean the same either way (no
 * timestamps as dates).
 *
 * Documents are read one at a time, each as its result is consumed, so
 * that a file of thousands of entities never holds them all as objects:
 * at 100,000 entities, a file's worth of parsed documents lived long
 * enough to reach the old generation of the heap, which grew by hundreds
 * of megabytes before a full collection. The text is cut before each
 * line that starts with a `---` marker, which ends any document in YAML
 * and in js-yaml; text with directives (lines starting with `%`), which
 * belong to the document after them, is read whole.
 *
 * @example
 * ```ts
 * for (const result of parseEntityYaml(Buffer.from(text), location)) emit(result);
 * ```
 * @public
 */
export function* parseEntityYaml(
  data: Buffer,
  location: LocationSpec,
): Iterable<CatalogProcessorResult> {
  const text = data.toString('utf8');
  for (const piece of splitDocuments(text)) {
    const entities = readWellFormedEntities(text.slice(piece.start, piece.end));
    if (!entities) {
      yield* parseEachDocument(text.slice(piece.start), location, piece.line);
      return;
    }
    for (const entity of entities) {
      yield processingResult.entity(location, entity);
    }
  }
}

/**
 * The pieces of the text that hold one document each, or a few when they
 * are separated by `...` alone, with the number of lines before each.
 */
function* splitDocuments(
  text: string,
): Iterable<{ start: number; end: number; line: number }> {
  if (/^%/m.test(text)) {
    yield { start: 0, end: text.length, line: 0 };
    return;
  }
  // A marker at a line start ends any document; one opening the text
  // starts the first piece. Made per call: a generator keeps its place.
  const documentMarker = /^---(?=[ \t\r\n]|$)/gm;
  documentMarker.lastIndex = 1;
  let start = 0;
  let line = 0;
  for (
    let match = documentMarker.exec(text);
    match;
    match = documentMarker.exec(text)
  ) {
    yield { start, end: match.index, line };
    line += countLines(text, start, match.index);
    start = match.index;
  }
  yield { start, end: text.length, line };
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to;) {
    lines += 1;
    i = text.indexOf('\n', i + 1);
  }
  return lines;
}

/** The entities of a piece without problems, or `undefined` if it has any. */
function readWellFormedEntities(text: string): Entity[] | undefined {
  let documents: unknown[];
  try {
    documents = loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  const entities: Entity[] = [];
  for (const document of documents) {
    if (document === null || document === undefined) {
      continue; // an empty document, such as after a trailing '---'
    }
    if (typeof document !== 'object' || Array.isArray(document)) {
      return undefined;
    }
    entities.push(document as Entity);
  }
  return entities;
}

/**
 * Reads text with `yaml`, document by document; `linesBefore` counts the
 * lines of the file before the text, for the line numbers of messages.
 */
function* parseEachDocument(
  text: string,
  location: LocationSpec,
  linesBefore: number,
): Iterable<CatalogProcessorResult> {
  const lineCounter = new LineCounter();
  // Documents are composed one at a time, so a file of ten thousand
  // entities never holds ten thousand YAML trees at once.
  const tokens = new Parser(lineCounter.addNewLine).parse(text);
  const where = describeLocationRef(location);
  for (const document of new Composer().compose(tokens)) {
    const [error] = document.errors;
    if (error) {
      const { line, col } = lineCounter.linePos(
        skipIndentation(text, error.pos[0]),
      );
      yield processingResult.inputError(
        location,
        `YAML error in '${where}' at line ${linesBefore + line}, column ${col}: ${firstLine(error.message)}`,
      );
      continue;
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) {
      continue; // an empty document, such as after a trailing '---'
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      const start = document.contents?.range[0] ?? 0;
      const { line } = lineCounter.linePos(start);
      yield processingResult.inputError(
        location,
        `Expected an entity object in '${where}' at line ${linesBefore + line}, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
      );
      continue;
    }
    yield processingResult.entity(location, value as Entity);
  }
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0];
}

/**
 * The parser the catalog uses unless a module replaces it: YAML with one
 * entity per document, see {@link parseEntityYaml}.
 *
 * @public
 */
export const defaultEntityDataParser: CatalogProcessorParser =
  async function* defaultEntityDataParser({ data, location }) {
    yield* parseEntityYaml(data, location);
  };
