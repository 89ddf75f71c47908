import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A development token listener that writes the token to `file`, readable
 * by its owner only, so that scripts can send
 * `-H "Authorization: Bearer $(cat <file>)"`.
 */
export function writeDevelopmentToken(
  file: string,
): (token: { token: string }) => Promise<void> {
  return async ({ token }) => {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    // The mode above only applies to a new file; an older one keeps its own.
    await chmod(file, 0o600);
  };
}
