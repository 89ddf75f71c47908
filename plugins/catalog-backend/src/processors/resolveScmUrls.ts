/**
 * Where to edit a file and the folder that holds it, for a file URL of a
 * source control host.
 *
 * @internal
 */
export interface ScmUrls {
  /** Absent when the host's edit convention is not known. */
  editUrl?: string;
  /** The folder of the file, ending with `/`. */
  sourceUrl: string;
}

/** The path segment pairs that mark a file view and its edit and folder views. */
const conventions = [
  // GitLab: /group/project/-/blob/<ref>/path
  { file: '/-/blob/', edit: '/-/edit/', folder: '/-/tree/' },
  // GitHub and hosts that copy it: /owner/repo/blob/<ref>/path
  { file: '/blob/', edit: '/edit/', folder: '/tree/' },
];

/**
 * Derives the edit URL and the source folder of a file URL, following
 * the GitHub and GitLab URL conventions; for other hosts only the folder
 * is known.
 *
 * @returns undefined when `url` is not an http(s) URL.
 * @internal
 */
export function resolveScmUrls(url: string): ScmUrls | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return undefined;
  }
  parsed.search = '';
  parsed.hash = '';
  const folder = new URL('./', parsed);
  const convention = conventions.find(c => parsed.pathname.includes(c.file));
  if (!convention) {
    return { sourceUrl: folder.href };
  }
  const edit = new URL(parsed.href);
  edit.pathname = parsed.pathname.replace(convention.file, convention.edit);
  folder.pathname = folder.pathname.replace(convention.file, convention.folder);
  return { editUrl: edit.href, sourceUrl: folder.href };
}
