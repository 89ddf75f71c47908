/**
 * Where entities come from: a location type (`file`, `url`, or one a
 * module adds) and its target.
 *
 * @public
 */
export interface LocationSpec {
  /** The reader that handles it, such as `url` or `file`. */
  type: string;
  /** What the reader reads, such as a URL or a path; may be a glob. */
  target: string;
  /**
   * Whether a missing target is an error (`required`) or just yields
   * nothing (`optional`).
   * @defaultValue `'required'`
   */
  presence?: 'optional' | 'required';
}
