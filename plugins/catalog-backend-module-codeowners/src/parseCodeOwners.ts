import picomatch from 'picomatch';

/**
 * One rule of a CODEOWNERS file: the files a pattern matches are owned by
 * its owners; a rule without owners removes ownership.
 *
 * @public
 */
export interface CodeOwnersRule {
  /** As written, such as `/docs/` or `*.md`. */
  pattern: string;
  /** Handles as written, such as `@acme/team-a`, `@jane` or `jane@acme.com`. */
  owners: string[];
  /** 1-based, for messages. */
  line: number;
}

/** Drops an inline comment: a `#` that starts a word and is not escaped. */
function stripComment(line: string): string {
  const match = /(^|\s)#/.exec(line);
  return match ? line.slice(0, match.index) : line;
}

/**
 * Parses the rules of a CODEOWNERS file, in file order.
 *
 * @remarks
 * Blank lines and comments are skipped, as are GitLab section headers
 * (`[Section]`) and negated patterns (`!pattern`), which GitHub does not
 * support either. `\#` at the start of a pattern stands for a literal `#`.
 *
 * @example
 * ```ts
 * parseCodeOwners('* @acme/platform\n/docs/ @acme/writers\n');
 * // [{ pattern: '*', owners: ['@acme/platform'], line: 1 },
 * //  { pattern: '/docs/', owners: ['@acme/writers'], line: 2 }]
 * ```
 * @public
 */
export function parseCodeOwners(content: string): CodeOwnersRule[] {
  const rules: CodeOwnersRule[] = [];
  content.split(/\r?\n/).forEach((text, index) => {
    const [first, ...owners] = stripComment(text).trim().split(/\s+/);
    if (!first || first.startsWith('!') || /^\^?\[/.test(first)) {
      return;
    }
    const pattern = first.startsWith('\\#') ? first.slice(1) : first;
    rules.push({ pattern, owners, line: index + 1 });
  });
  return rules;
}

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

/**
 * Turns a CODEOWNERS handle into a `spec.owner` value: a configured mapping
 * first, else `@org/team` becomes the group `team`, and `@user` or
 * `user@example.com` become `user:user`.
 *
 * @remarks
 * Like a hand-written `spec.owner`, the results name no namespace, so they
 * refer to the entity's own namespace. Mapping keys compare
 * case-insensitively, as handles do on GitHub and GitLab.
 *
 * @param mappings - lowercased handle to entity ref.
 * @returns undefined for a handle of no known form.
 * @public
 */
export function toOwnerRef(
  handle: string,
  mappings: ReadonlyMap<string, string>,
): string | undefined {
  const mapped = mappings.get(handle.toLowerCase());
  if (mapped) {
    return mapped;
  }
  const team = /^@[^/\s]+\/([^/\s]+)$/.exec(handle);
  if (team) {
    return team[1];
  }
  const user =
    /^@([^/@\s]+)$/.exec(handle) ?? /^([^@\s]+)@[^@\s]+\.[^@\s]+$/.exec(handle);
  if (user) {
    return `user:${user[1]}`;
  }
  return undefined;
}
