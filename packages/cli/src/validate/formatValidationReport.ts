/** A file of the batch and the line of the combined text it starts on. */
export interface BatchFile {
  /** As shown: relative to the working folder. */
  name: string;
  firstLine: number;
}

/** A problem the catalog found, at a field path when it has one. */
interface Issue {
  message: string;
  path?: string;
}

/** An RFC 6902 operation of a document's diff. */
interface Operation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** One document, as `POST /validate-entities` answers it. */
export interface DocumentReport {
  index: number;
  line?: number;
  entityRef?: string;
  result: 'created' | 'changed' | 'unchanged' | 'invalid';
  errors: Issue[];
  warnings: Issue[];
  diff?: Operation[];
}

/** The answer of `POST /validate-entities`. */
export interface ValidationReport {
  valid: boolean;
  documents: DocumentReport[];
  deleted: Array<{ entityRef: string }>;
  summary: Record<string, number>;
}

/** Diff values are cut here in text output, which only has to show the change. */
const shownValueLength = 80;

/**
 * The report as the command prints it: with `json`, the backend's answer
 * with each document's `file` and `line` within it; as text, one line per
 * document (`file:line  ref  result`), its errors, warnings and diff
 * indented below it, the deleted entities, then the counts.
 */
export function formatValidationReport(
  report: ValidationReport,
  files: readonly BatchFile[],
  format: 'text' | 'json',
): string {
  const located = report.documents.map(document => ({
    document,
    ...locate(document.line, files),
  }));
  if (format === 'json') {
    const documents = located.map(({ document, file, line }) => ({
      ...document,
      ...(file !== undefined && { file }),
      ...(line !== undefined && { line }),
    }));
    return `${JSON.stringify({ ...report, documents }, null, 2)}\n`;
  }
  const lines: string[] = [];
  for (const { document, file, line } of located) {
    const where = file ? `${file}:${line}` : `document ${document.index}`;
    lines.push(
      `${where}  ${document.entityRef ?? '(no entity ref)'}  ${document.result}`,
    );
    for (const issue of document.errors) {
      lines.push(`    error${describePath(issue)}: ${issue.message}`);
    }
    for (const issue of document.warnings) {
      lines.push(`    warning${describePath(issue)}: ${issue.message}`);
    }
    for (const operation of document.diff ?? []) {
      lines.push(`    ${describeOperation(operation)}`);
    }
  }
  for (const { entityRef } of report.deleted) {
    lines.push(`deleted  ${entityRef}`);
  }
  lines.push(summarize(report));
  return `${lines.join('\n')}\n`;
}

/** The file a line of the combined batch falls in, and the line within it. */
function locate(
  line: number | undefined,
  files: readonly BatchFile[],
): { file?: string; line?: number } {
  if (line === undefined) {
    return {};
  }
  const file = [...files].reverse().find(f => f.firstLine <= line);
  return file ? { file: file.name, line: line - file.firstLine + 1 } : {};
}

function describePath(issue: Issue): string {
  return issue.path ? ` at ${issue.path}` : '';
}

function describeOperation(operation: Operation): string {
  const target = `${operation.op} ${operation.path}`;
  if (operation.from !== undefined) {
    return `${target} from ${operation.from}`;
  }
  if (!('value' in operation)) {
    return target;
  }
  const value = JSON.stringify(operation.value) ?? 'undefined';
  return `${target} = ${
    value.length > shownValueLength
      ? `${value.slice(0, shownValueLength)}...`
      : value
  }`;
}

function summarize({ documents, summary }: ValidationReport): string {
  const count = (key: string) => summary[key] ?? 0;
  return `${documents.length} documents: ${count('created')} created, ${count('changed')} changed, ${count('unchanged')} unchanged, ${count('invalid')} invalid; ${count('deleted')} deleted.`;
}
