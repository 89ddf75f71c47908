import { readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DevelopmentTokenListener } from './createAuthRootContext';

/**
 * A development token listener for {@link createAuthServiceFactory} that
 * writes the token to `file`, readable by its owner only, so that scripts
 * and curl can send `-H "Authorization: Bearer $(cat <file>)"`.
 *
 * @remarks
 * The backend issues a new token on every start, so a file left from an
 * earlier run would only give 401s: the file is removed when the process
 * exits (Ctrl-C and SIGTERM included), unless another backend has written
 * its own token there since. A process killed outright leaves it behind;
 * the 401 for a stale token says so.
 *
 * @example
 * ```ts
 * backend.add(
 *   createAuthServiceFactory({
 *     onDevelopmentToken: writeDevelopmentToken('.plinth/dev-token'),
 *   }),
 * );
 * ```
 * @public
 */
export function writeDevelopmentToken(file: string): DevelopmentTokenListener {
  const path = resolve(file);
  return async ({ token }) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${token}\n`, { mode: 0o600 });
    // The mode above only applies to a new file; an older one keeps its own.
    await chmod(path, 0o600);
    process.once('exit', () => removeIfStillOurs(path, token));
  };
}

function removeIfStillOurs(path: string, token: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === token) {
      rmSync(path, { force: true });
    }
  } catch {
    // Gone already, or unreadable: nothing of ours to remove.
  }
}
