import picomatch from 'picomatch';
import type { CodeOwnersRule } from './parseCodeOwners';

type PathMatcher = (filePath: string) => boolean;

/**
 * Compiles a CODEOWNERS pattern with GitHub's semantics: a pattern with a
 * `/` at its start or in its middle is relative to the CODEOWNERS root,
 * others match at any depth; a trailing `/` matches folders only; a pattern
 * whose last part has no wildcard also matches everything below the folder
 * it names, while `docs/*` matches only the files directly in `docs`.
 */
function compilePattern(pattern: string): PathMatcher {
  const folderOnly = pattern.endsWith('/');
  const trimmed = pattern.replace(/\/+$/, '');
  const anchored = trimmed.includes('/');
  const relative = trimmed.replace(/^\/+/, '');
  if (relative === '') {
    return () => true;
  }
  const isMatch = picomatch(anchored ? relative : `**/${relative}`, {
    dot: true,
  });
  const lastPart = relative.slice(relative.lastIndexOf('/') + 1);
  const coversFolders = folderOnly || !/[*?[]/.test(lastPart);
  return filePath => {
    if (!folderOnly && isMatch(filePath)) {
      return true;
    }
    if (!coversFolders) {
      return false;
    }
    const parts = filePath.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      if (isMatch(parts.slice(0, depth).join('/'))) {
        return true;
      }
    }
    return false;
  };
}

/**
 * The rule that decides who owns a file: the last rule whose pattern
 * matches it, as on GitHub and GitLab.
 *
 * @param filePath - relative to the CODEOWNERS root, with `/` separators.
 * @returns undefined when no rule matches.
 * @public
 */
export function findCodeOwnersRule(
  rules: readonly CodeOwnersRule[],
  filePath: string,
): CodeOwnersRule | undefined {
  for (let index = rules.length - 1; index >= 0; index -= 1) {
    if (compilePattern(rules[index].pattern)(filePath)) {
      return rules[index];
    }
  }
  return undefined;
}
