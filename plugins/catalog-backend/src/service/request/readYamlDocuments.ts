import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { skipIndentation } from '@plinth/errors';
import { LineCounter, parseAllDocuments } from 'yaml';

/**
 * One non-empty document of a YAML stream: its value, or why it has none
 * (a syntax error with its position, or a value that cannot be built,
 * such as one with too many aliases). `line` is where its content starts.
 *
 * @internal
 */
export type YamlDocument = { line: number } & (
  | { value: unknown }
  | { syntaxError: { line: number; col: number; message: string } }
  | { readError: string }
);

/**
 * The documents of a multi-document YAML stream, in order, without the
 * empty ones (such as after a trailing `---`).
 *
 * @remarks
 * As in the catalog's own YAML parser (`parseEntityYaml`), a well-formed
 * stream is read with js-yaml, about ten times faster than `yaml` (for
 * 500 entities here, 30-80 ms against 500-800 ms). A stream that js-yaml
 * refuses is read again with `yaml`, whose messages are clearer, only
 * when it is at most {@link maxReparsedLength} long; a longer one keeps
 * js-yaml's error and position in each document that has one, so a large
 * broken body costs one parse, not two. Both read YAML 1.2's core schema.
 * A stream with anchors, directives or `...` markers always goes to
 * `yaml`: it bounds the aliases a document may expand
 * (js-yaml does not), and the fast path splits documents only at `---`.
 *
 * @internal
 */
export function readYamlDocuments(text: string): YamlDocument[] {
  if (needsFullParser.test(text)) {
    return readEachDocument(text);
  }
  const documents = readWithJsYaml(text);
  return text.length <= maxReparsedLength &&
    documents.some(d => 'syntaxError' in d)
    ? readEachDocument(text)
    : documents;
}

/** Characters up to which a stream js-yaml refuses is read again. */
const maxReparsedLength = 64 * 1024;

/** A line that starts a document: `---` alone or before content. */
const documentStart = /^---(?=[ \t]|\r?$)/;
/** What the fast path leaves to `yaml`: anchors, directives, `...`. */
const needsFullParser = /(?:^|[\s[{,:-])&[^\s,[\]{}]|^%|^\.\.\.(?:[ \t]|\r?$)/m;
/** Lines without content: blank, comments, or a bare `---`. */
const emptyLine = /^(?:---)?[ \t]*(?:#.*)?\r?$/;

/**
 * Splits at document markers, which YAML forbids anywhere else at the
 * start of a line (not even inside block or quoted scalars), and reads
 * each document with js-yaml.
 */
function readWithJsYaml(text: string): YamlDocument[] {
  const lines = text.split('\n');
  const starts = [0];
  lines.forEach((line, i) => {
    if (i > 0 && documentStart.test(line)) {
      starts.push(i);
    }
  });
  const documents: YamlDocument[] = [];
  for (const [n, start] of starts.entries()) {
    const end = starts[n + 1] ?? lines.length;
    const segment = lines.slice(start, end);
    const offset = segment.findIndex(line => !emptyLine.test(line));
    const line = start + Math.max(offset, 0) + 1;
    let value: unknown;
    try {
      value = load(segment.join('\n'), { schema: CORE_SCHEMA });
    } catch (error) {
      if (!(error instanceof YAMLException)) {
        throw error;
      }
      const { mark, reason } = error;
      documents.push({
        line,
        syntaxError: {
          line: start + mark.line + 1,
          col: mark.column + 1,
          message: reason,
        },
      });
      continue;
    }
    if (value === null || value === undefined) {
      continue;
    }
    documents.push({ line, value });
  }
  return documents;
}

function readEachDocument(text: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  const documents: YamlDocument[] = [];
  for (const document of parseAllDocuments(text, { lineCounter })) {
    const line = lineCounter.linePos(
      document.contents?.range[0] ?? document.range[0],
    ).line;
    const [error] = document.errors;
    if (error) {
      const at = lineCounter.linePos(skipIndentation(text, error.pos[0]));
      const message = error.message.split('\n', 1)[0];
      documents.push({ line, syntaxError: { ...at, message } });
      continue;
    }
    if (document.contents === null) {
      continue;
    }
    try {
      documents.push({ line, value: document.toJS() });
    } catch (error) {
      // Where `yaml` refuses alias bombs, with a ReferenceError.
      documents.push({ line, readError: (error as Error).message });
    }
  }
  return documents;
}
