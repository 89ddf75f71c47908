/**
 * A Redis connection URL safe for logs and errors: the password becomes
 * `***`, and a value that is not a URL is not shown at all.
 */
export function describeRedisConnection(connection: string): string {
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    return 'the configured address';
  }
  if (url.password) {
    url.password = '***';
  }
  return `'${url.toString()}'`;
}
