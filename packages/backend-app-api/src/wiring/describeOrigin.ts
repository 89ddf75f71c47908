/**
 * Says where a feature came from, for error messages, such as
 * `created at plugins/todo/src/plugin.ts:12:27`, with a fallback for
 * features built by hand or by another runtime.
 */
export function describeOrigin(description: string | undefined): string {
  if (!description) {
    return 'of unknown origin';
  }
  return description.startsWith('feature loader')
    ? description
    : `created at ${description}`;
}
