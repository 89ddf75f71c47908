/**
 * Polls until `check` passes, for work a backend does in the background
 * (catalog processing, event delivery); throws with the last value read
 * when `timeoutMs` passes first.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs / 1000}s waiting until ${what}; last seen: ${JSON.stringify(value)}`,
      );
    }
    await new Promise(done => setTimeout(done, 100));
    value = await read();
  }
  return value;
}
