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
