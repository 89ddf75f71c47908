import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import { codeOwnersCandidates, type CodeOwnersFile } from './CodeOwnersFile';
import { readOptionalUrl } from './readOptionalUrl';

/** Whether the walk may not go above `dir`: it is a repository root, or unreadable. */
async function isBoundary(
  reader: UrlReaderService,
  dir: string,
): Promise<boolean> {
  try {
    await reader.readUrl(pathToFileURL(path.join(dir, '.git')).href);
    return true; // a .git file, as in a worktree
  } catch (error) {
    // A .git folder cannot be read as a file, and a folder outside the
    // file roots cannot be read at all: both end the walk.
    return !(isError(error) && error.name === 'NotFoundError');
  }
}

async function readCandidate(
  reader: UrlReaderService,
  url: string,
): Promise<Awaited<ReturnType<typeof readOptionalUrl>> | 'refused'> {
  try {
    return await readOptionalUrl(reader, url);
  } catch (error) {
    if (isError(error) && error.name === 'NotAllowedError') {
      return 'refused';
    }
    throw error;
  }
}

/**
 * Finds the CODEOWNERS file nearest to a local entity file: each folder
 * from the file's own up to the repository root (the folder with `.git`)
 * is searched, stopping early at folders outside
 * `backend.reading.fileRoots`.
 *
 * @param filePath - the absolute path of the entity file.
 */
export async function findLocalCodeOwners(
  reader: UrlReaderService,
  filePath: string,
): Promise<CodeOwnersFile | undefined> {
  let dir = path.dirname(filePath);
  for (;;) {
    for (const candidate of codeOwnersCandidates) {
      const url = pathToFileURL(path.join(dir, candidate)).href;
      const found = await readCandidate(reader, url);
      if (found === 'refused') {
        return undefined;
      }
      if (found && found !== 'unchanged') {
        const entityPath = path
          .relative(dir, filePath)
          .split(path.sep)
          .join('/');
        return { url, ...found, entityPath };
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir || (await isBoundary(reader, dir))) {
      return undefined;
    }
    dir = parent;
  }
}
