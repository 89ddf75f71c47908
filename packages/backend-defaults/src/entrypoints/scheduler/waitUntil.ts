/**
 * Polls a condition every few milliseconds until it holds; for the
 * scheduler's tests, whose own timeout bounds the wait, so no test asserts
 * how long anything took.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
): Promise<void> {
  while (!(await condition())) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}
