/**
 * Quotes values for a message, in single quotes as every Plinth message
 * quotes ids, keys and names: `'a', 'b', 'c'`, or, given a conjunction, as
 * a sentence lists them: `'a', 'b' and 'c'`.
 *
 * @example
 * ```ts
 * quoteList(['json', 'yaml']); // "'json', 'yaml'"
 * quoteList(['json', 'yaml', 'text'], 'or'); // "'json', 'yaml' or 'text'"
 * ```
 * @public
 */
export function quoteList(
  values: Iterable<string>,
  conjunction?: 'and' | 'or',
): string {
  const quoted = Array.from(values, value => `'${value}'`);
  if (conjunction === undefined || quoted.length <= 1) {
    return quoted.join(', ');
  }
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/**
 * Describes an unexpected value for a message by its type, and by its
 * content for strings, numbers and booleans: `the string 'x'`,
 * `number 3`, `an array`, `a function 'f'`, `an object`, `undefined`.
 *
 * @public
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'string') {
    return `the string '${value}'`;
  }
  if (typeof value === 'function') {
    return `a function${value.name ? ` '${value.name}'` : ''}`;
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return `${typeof value} ${value}`;
  }
  return typeof value === 'symbol' ? value.toString() : 'an object';
}

/** What stands in for a hidden query value or fragment. */
const mask = '***';

/**
 * The URL as it may appear in errors and logs: without a user name or
 * password, with each query value masked but its name kept
 * (`?token=***`), and with the fragment masked. Query strings carry access
 * tokens and presigned signatures (`X-Amz-Signature`), and fragments
 * sometimes do, so none of them may reach a log or an HTTP body. Strings
 * that do not parse as URLs lose anything between `//` and `@`, and have
 * their query values and fragment masked the same way.
 *
 * @example
 * ```ts
 * redactUrl('https://u:p@example.com/a.yaml?token=abc&raw#k=v');
 * // 'https://example.com/a.yaml?token=***&raw#***'
 * ```
 * @public
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return redactUnparsed(String(url));
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    parsed.search = maskQuery(parsed.search.slice(1));
  }
  if (parsed.hash) {
    parsed.hash = mask;
  }
  return parsed.href;
}

function redactUnparsed(text: string): string {
  const hashAt = text.indexOf('#');
  let head = hashAt === -1 ? text : text.slice(0, hashAt);
  const fragment =
    hashAt === -1 ? '' : hashAt === text.length - 1 ? '#' : `#${mask}`;
  head = head.replace(/\/\/[^/?#]*@/, '//');
  const queryAt = head.indexOf('?');
  if (queryAt !== -1) {
    head = `${head.slice(0, queryAt + 1)}${maskQuery(head.slice(queryAt + 1))}`;
  }
  return head + fragment;
}

/** Masks the value of each `name=value` pair; a bare name stays. */
function maskQuery(query: string): string {
  return query
    .split('&')
    .map(pair => {
      const equalsAt = pair.indexOf('=');
      return equalsAt === -1 || equalsAt === pair.length - 1
        ? pair
        : `${pair.slice(0, equalsAt + 1)}${mask}`;
    })
    .join('&');
}

/**
 * The known name closest to `name` by edit distance, ignoring case, when
 * it is close enough to be a likely typo: at most a third of its length.
 *
 * @example
 * ```ts
 * suggestClosestName('databse', ['database', 'cache']); // 'database'
 * ```
 * @public
 */
export function suggestClosestName(
  name: string,
  known: readonly string[],
): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = measureEditDistance(
      name.toLowerCase(),
      candidate.toLowerCase(),
    );
    const limit = Math.max(
      1,
      Math.floor(Math.max(name.length, candidate.length) / 3),
    );
    if (distance <= limit && (!best || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of
 * neighbouring letters (optimal string alignment), the usual typos.
 */
function measureEditDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) =>
      i === 0 ? j : j === 0 ? i : 0,
    ),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * Where to point a reader at a syntax error found at `offset` of `text`.
 * Parsers such as `yaml` report a mis-indented line at its start, column
 * 1, where the reader needs its first character, the one out of place: an
 * offset within a line's leading spaces or tabs moves past them.
 *
 * @example
 * ```ts
 * skipIndentation('a:\n  b: 1\n   c: 2\n', 10); // 13, the 'c'
 * ```
 * @public
 */
export function skipIndentation(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (/\S/.test(text.slice(lineStart, offset))) {
    return offset;
  }
  let end = offset;
  while (text[end] === ' ' || text[end] === '\t') {
    end += 1;
  }
  return end < text.length && text[end] !== '\n' && text[end] !== '\r'
    ? end
    : offset;
}
