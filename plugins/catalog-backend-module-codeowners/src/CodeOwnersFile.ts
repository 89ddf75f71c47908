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
