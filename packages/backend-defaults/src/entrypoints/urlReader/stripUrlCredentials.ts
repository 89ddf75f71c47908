/**
 * The URL as it may appear in errors and logs: without a user name or
 * password. Strings that do not parse as URLs lose anything between `//`
 * and `@` instead.
 */
export function stripUrlCredentials(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return String(url).replace(/\/\/[^/?#]*@/, '//');
  }
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}
