import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { codeOwnersCandidates, type CodeOwnersFile } from './CodeOwnersFile';
import { readOptionalUrl } from './readOptionalUrl';

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
