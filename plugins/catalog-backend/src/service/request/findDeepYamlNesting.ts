/** What may come before a value: nothing on the line, or an indicator. */
const valueStarts = new Set(['', '[', '{', ',', ':', '-', '?']);

/**
 * The first line of a YAML stream at which collections nest more than
 * `maxDepth` levels deep, or `undefined` when none does.
 *
 * @remarks
 * Both YAML parsers take time superlinear in the nesting of what they
 * read (800 KB of `[` took `yaml` ten seconds), so the depth is bounded in
 * one linear pass before either runs. The pass counts open flow brackets
 * where a value may start (not inside quotes, comments or plain text),
 * plus the block levels that indentation and `- ` entries open; it skips
 * block scalars, whose lines are text. It approximates: a sequence at its
 * key's indentation is not counted as a level, an indented continuation
 * of a plain scalar is; either way by a level or two, far within a limit
 * meant against thousands.
 *
 * @internal
 */
export function findDeepYamlNesting(
  text: string,
  maxDepth: number,
): number | undefined {
  /** Columns of the open block levels, innermost last. */
  const blocks: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | undefined;
  /** Lines indented deeper than this belong to a block scalar. */
  let scalarIndent: number | undefined;
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    lineNumber += 1;
    let col = start;
    while (col < end && text[col] === ' ') {
      col += 1;
    }
    const indent = col - start;
    const blank = col >= end || text[col] === '\r' || text[col] === '#';
    if (scalarIndent !== undefined && (blank || indent > scalarIndent)) {
      start = end + 1;
      continue;
    }
    scalarIndent = undefined;
    if (!quote && flow === 0 && !blank) {
      if (text.startsWith('---', col) || text.startsWith('...', col)) {
        blocks.length = 0;
      }
      while (blocks.length > 0 && blocks[blocks.length - 1] > indent) {
        blocks.pop();
      }
      if (blocks[blocks.length - 1] !== indent) {
        blocks.push(indent);
        if (blocks.length > maxDepth) {
          return lineNumber;
        }
      }
      // Each `- ` opens a sequence whose entry starts after it.
      while (text[col] === '-' && (text[col + 1] === ' ' || col + 1 >= end)) {
        col += 1;
        while (col < end && text[col] === ' ') {
          col += 1;
        }
        blocks.push(col - start);
        if (blocks.length > maxDepth) {
          return lineNumber;
        }
      }
    }
    /** The last character outside quotes, or `x` for plain text. */
    let last = '';
    for (let i = col; i < end; i += 1) {
      const char = text[i];
      if (quote) {
        if (char === quote) {
          // A doubled single quote is an escaped one.
          if (quote === "'" && text[i + 1] === "'") {
            i += 1;
          } else {
            quote = undefined;
          }
        } else if (char === '\\' && quote === '"') {
          i += 1;
        }
        continue;
      }
      if (char === ' ' || char === '\t') {
        continue;
      }
      const valueStart = valueStarts.has(last);
      const spaceAfter = /^[ \t\r]?$/.test(text[i + 1] ?? '');
      let indicator = false;
      if ((char === '"' || char === "'") && valueStart) {
        quote = char;
      } else if (char === '#' && /^\s?$/.test(text[i - 1] ?? '')) {
        break;
      } else if ((char === '[' || char === '{') && valueStart) {
        flow += 1;
        indicator = true;
        if (flow + blocks.length > maxDepth) {
          return lineNumber;
        }
      } else if ((char === ']' || char === '}') && flow > 0) {
        flow -= 1;
      } else if (char === ',' || char === ':') {
        indicator = flow > 0 || (char === ':' && spaceAfter);
      } else if (char === '-' || char === '?') {
        indicator = spaceAfter;
      } else if (
        (char === '|' || char === '>') &&
        valueStart &&
        flow === 0 &&
        /^[-+0-9]*[ \t]*(?:#.*)?\r?$/.test(text.slice(i + 1, end))
      ) {
        scalarIndent = indent;
        break;
      }
      last = indicator ? char : 'x';
    }
    start = end + 1;
  }
  return undefined;
}
