import path from 'node:path';
import * as prettier from 'prettier';
import type { RenderedFile } from './renderTemplate';

/**
 * Formats the new files with the repository's Prettier config, as if they
 * already sat in `packageDir`: ids of other lengths change where lines
 * wrap, and `yarn lint` checks formatting. Files Prettier has no parser
 * for stay as they are.
 */
export async function formatFiles(
  files: readonly RenderedFile[],
  packageDir: string,
): Promise<RenderedFile[]> {
  return Promise.all(
    files.map(async file => {
      const filepath = path.join(packageDir, file.path);
      const { inferredParser } = await prettier.getFileInfo(filepath);
      if (!inferredParser) {
        return file;
      }
      const config = await prettier.resolveConfig(filepath);
      const content = await prettier.format(file.content, {
        ...config,
        filepath,
      });
      return { ...file, content };
    }),
  );
}
