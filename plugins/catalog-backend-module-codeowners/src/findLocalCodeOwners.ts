import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import { codeOwnersCandidates, type CodeOwnersFile } from './CodeOwnersFile';
import { readOptionalUrl } from './readOptionalUrl';

/**
 * The candidates read for local files: the URL reader never reads hidden
 * directories, so `.github/` and `.gitlab/` are left out.
 */
const localCandidates = codeOwnersCandidates.filter(
  candidate => !candidate.startsWith('.'),
);

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
 * from the file's own upwards is searched for `CODEOWNERS` and
 * `docs/CODEOWNERS`, until a folder outside `backend.reading.fileRoots`
 * (whose files the reader refuses).
 *
 * @param filePath - the absolute path of the entity file.
 */
export async function findLocalCodeOwners(
  reader: UrlReaderService,
  filePath: string,
): Promise<CodeOwnersFile | undefined> {
  let dir = path.dirname(filePath);
  for (;;) {
    for (const candidate of localCandidates) {
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
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}
