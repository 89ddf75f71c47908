import fs from 'node:fs';
import path from 'node:path';

/** A file of the new package: its path relative to the package folder, and its text. */
export interface RenderedFile {
  path: string;
  content: string;
}

const templateSuffix = '.tmpl';
const tokenPattern = /\{\{(\w+)\}\}/g;

/**
 * Reads every file of a template folder and fills in the `{{token}}`s of
 * its paths and contents. Template files end in `.tmpl`, so the
 * repository's tsc, ESLint, Prettier and Jest leave them alone; the suffix
 * is dropped.
 * @throws Error naming the file, when a file lacks the suffix or uses a
 *   token without a value: a broken template, not a user mistake.
 */
export function renderTemplate(
  templateDir: string,
  tokens: Readonly<Record<string, string>>,
): RenderedFile[] {
  return listFiles(templateDir).map(relative => {
    if (!relative.endsWith(templateSuffix)) {
      throw new Error(
        `Template file '${path.join(templateDir, relative)}' does not end in '${templateSuffix}'; rename it, so that the repository's tools skip it.`,
      );
    }
    const fill = (text: string) =>
      text.replace(tokenPattern, (token, name: string) => {
        const value = tokens[name];
        if (value === undefined) {
          throw new Error(
            `Template file '${path.join(templateDir, relative)}' uses ${token}, which this template has no value for; use one of ${Object.keys(tokens).join(', ')}.`,
          );
        }
        return value;
      });
    return {
      path: fill(relative.slice(0, -templateSuffix.length)),
      content: fill(fs.readFileSync(path.join(templateDir, relative), 'utf8')),
    };
  });
}

/** Every file below `dir`, relative to it, in a stable order. */
function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const relative = path.posix.join(prefix, entry.name);
      return entry.isDirectory() ? listFiles(dir, relative) : [relative];
    });
}
