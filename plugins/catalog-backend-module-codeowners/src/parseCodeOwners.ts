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
