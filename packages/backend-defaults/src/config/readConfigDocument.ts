import fs from 'node:fs/promises';
import type { JsonValue } from '@plinth/backend-plugin-api';
import { isError, skipIndentation } from '@plinth/errors';
import { LineCounter, parseDocument } from 'yaml';

/**
 * What reading a YAML or JSON config document found: its value (`null`
 * for an empty file), or why there is none.
 */
export type ConfigDocument =
  | { kind: 'ok'; value: JsonValue }
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'invalid'; line: number; column: number; reason: string };

/**
 * Reads and parses one YAML (or JSON, which YAML reads too) document,
 * reporting syntax errors with their line and column.
 */
export async function readConfigDocument(
  file: string,
): Promise<ConfigDocument> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isError(error) && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { kind: 'missing' };
    }
    return {
      kind: 'unreadable',
      reason: isError(error) ? error.message : String(error),
    };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const [syntaxError] = document.errors;
  if (syntaxError) {
    const position = lineCounter.linePos(
      skipIndentation(text, syntaxError.pos[0]),
    );
    const reason =
      syntaxError.code === 'MULTIPLE_DOCS'
        ? "the file holds several documents separated by '---'; keep one"
        : syntaxError.message.split(/ at line \d+/)[0];
    return {
      kind: 'invalid',
      line: position.line,
      column: position.col,
      reason,
    };
  }
  return {
    kind: 'ok',
    value: (document.toJS() as JsonValue | undefined) ?? null,
  };
}
