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
  const mapped = mappings.get(handle.toLocaleLowerCase('en-US'));
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
