import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileRoots } from './FileRoots';

/** One file found below a directory. */
export interface FileEntry {
  /** Relative to the directory walked, with `/` separators. */
  readonly path: string;
  /** Where to read it: below the directory walked, possibly a link. */
  readonly absolutePath: string;
  readonly size: number;
  readonly lastModifiedAt: Date;
}

/** Directories that are never part of a tree or a search. */
const skippedDirectories = new Set(['node_modules', '.git']);

async function toEntry(
  dir: string,
  relativeDir: string,
  dirent: Dirent,
  roots: FileRoots,
): Promise<FileEntry | undefined> {
  const absolutePath = path.join(dir, dirent.name);
  if (dirent.isSymbolicLink()) {
    // Linked files count when their target is inside a root; linked
    // directories never do, which also rules out cycles.
    const target = await fs.realpath(absolutePath).catch(() => undefined);
    if (!target || !roots.containsRealPath(target)) {
      return undefined;
    }
  } else if (!dirent.isFile()) {
    return undefined;
  }
  const stats = await fs.stat(absolutePath).catch(() => undefined);
  if (!stats?.isFile()) {
    return undefined;
  }
  return {
    path: relativeDir ? `${relativeDir}/${dirent.name}` : dirent.name,
    absolutePath,
    size: stats.size,
    lastModifiedAt: stats.mtime,
  };
}

/**
 * Lists the regular files below `directory`, sorted by path, skipping
 * `node_modules` and `.git`, linked directories, and linked files whose
 * target lies outside the roots. Files that vanish during the walk and
 * directories that cannot be read are left out.
 *
 * @param maxDepth - how many directory levels to descend; 0 lists only the
 *   directory's own files.
 */
export async function walkFiles(
  directory: string,
  roots: FileRoots,
  maxDepth = Infinity,
): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  const pending: Array<{ dir: string; relativeDir: string; depth: number }> = [
    { dir: directory, relativeDir: '', depth: 0 },
  ];
  while (pending.length > 0) {
    const { dir, relativeDir, depth } = pending.pop()!;
    const dirents = await fs
      .readdir(dir, { withFileTypes: true })
      .catch(() => [] as Dirent[]);
    for (const dirent of dirents) {
      if (dirent.isDirectory()) {
        if (depth < maxDepth && !skippedDirectories.has(dirent.name)) {
          pending.push({
            dir: path.join(dir, dirent.name),
            relativeDir: relativeDir
              ? `${relativeDir}/${dirent.name}`
              : dirent.name,
            depth: depth + 1,
          });
        }
        continue;
      }
      const entry = await toEntry(dir, relativeDir, dirent, roots);
      if (entry) {
        entries.push(entry);
      }
    }
  }
  return entries.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}
