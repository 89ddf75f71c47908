import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import type {
  ConfigFileReader,
  LocationSpec,
} from '@plinth/plugin-catalog-node';

/**
 * A CODEOWNERS file found for an entity file.
 */
export interface CodeOwnersFile {
  /** Where the CODEOWNERS file was read. */
  url: string;
  content: string;
  etag?: string;
  /** The entity file relative to the CODEOWNERS root, with `/` separators. */
  entityPath: string;
}

/**
 * The places a CODEOWNERS file may live in a folder, in the order GitHub
 * looks at them; GitLab's own folder comes last.
 */
export const codeOwnersCandidates: readonly string[] = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
  '.gitlab/CODEOWNERS',
];

/**
 * The candidates read for local files: the URL reader never reads hidden
 * directories, so `.github/` and `.gitlab/` are left out.
 */
const localCandidates = codeOwnersCandidates.filter(
  candidate => !candidate.startsWith('.'),
);

/** How local files are read: the reader, or config file reads for an origin. */
export type LocalFiles =
  | { reader: UrlReaderService }
  | { files: ConfigFileReader; origin: LocationSpec };

async function readCandidate(
  local: LocalFiles,
  filePath: string,
): Promise<Awaited<ReturnType<typeof readOptionalUrl>> | 'refused'> {
  try {
    if ('reader' in local) {
      return await readOptionalUrl(local.reader, pathToFileURL(filePath).href);
    }
    const data = await local.files.readFile(filePath, local.origin);
    return { content: data.toString('utf8') };
  } catch (error) {
    if (isError(error) && error.name === 'NotFoundError') {
      return undefined;
    }
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
 * (whose files are refused).
 *
 * @param filePath - the absolute path of the entity file.
 */
export async function findLocalCodeOwners(
  local: LocalFiles,
  filePath: string,
): Promise<CodeOwnersFile | undefined> {
  let dir = path.dirname(filePath);
  for (;;) {
    for (const candidate of localCandidates) {
      const candidatePath = path.join(dir, candidate);
      const url = pathToFileURL(candidatePath).href;
      const found = await readCandidate(local, candidatePath);
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

/**
 * Splits a file URL of a source control host into the repository root at
 * its ref and the file's path below it, following the GitHub
 * (`/blob/<ref>/`) and GitLab (`/-/blob/<ref>/`) conventions.
 *
 * @returns undefined for URLs of other shapes.
 */
export function splitRepositoryUrl(
  url: string,
): { root: string; entityPath: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const match = /^(.*?\/(?:-\/)?blob\/[^/]+\/)(.+)$/.exec(parsed.pathname);
  if (!match) {
    return undefined;
  }
  return {
    root: `${parsed.origin}${match[1]}`,
    entityPath: decodeURIComponent(match[2]),
  };
}

/**
 * Finds the CODEOWNERS file of the repository a URL points into, in the
 * places GitHub and GitLab look at.
 *
 * @returns undefined when the URL has no known repository shape or the
 *   repository has no CODEOWNERS file.
 */
export async function findRepositoryCodeOwners(
  reader: UrlReaderService,
  url: string,
): Promise<CodeOwnersFile | undefined> {
  const repository = splitRepositoryUrl(url);
  if (!repository) {
    return undefined;
  }
  for (const candidate of codeOwnersCandidates) {
    const candidateUrl = `${repository.root}${candidate}`;
    const found = await readOptionalUrl(reader, candidateUrl);
    if (found && found !== 'unchanged') {
      return { url: candidateUrl, ...found, entityPath: repository.entityPath };
    }
  }
  return undefined;
}

/** The content and ETag of a URL that exists. */
export interface OptionalUrlContent {
  content: string;
  etag?: string;
}

/**
 * Reads a URL that may not exist: `undefined` when the reader reports it
 * missing; with `etag`, `'unchanged'` while the content keeps that ETag.
 * Any other failure is thrown.
 */
export async function readOptionalUrl(
  reader: UrlReaderService,
  url: string,
  etag?: string,
): Promise<OptionalUrlContent | 'unchanged' | undefined> {
  try {
    const response = await reader.readUrl(url, etag ? { etag } : undefined);
    const content = (await response.buffer()).toString('utf8');
    return { content, ...(response.etag ? { etag: response.etag } : {}) };
  } catch (error) {
    if (isError(error) && error.name === 'NotFoundError') {
      return undefined;
    }
    if (isError(error) && error.name === 'NotModifiedError') {
      return 'unchanged';
    }
    throw error;
  }
}
