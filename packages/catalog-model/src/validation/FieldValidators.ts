/**
 * The rules for the single fields of an entity's envelope and metadata; each
 * returns whether a value is valid.
 *
 * @remarks
 * Replace some of them with `createEntityValidator({ fieldValidators })`,
 * e.g. to allow longer names.
 *
 * @public
 */
export interface FieldValidators {
  /** `apiVersion`: `<prefix>/<version>` or `<version>`. */
  isValidApiVersion(value: unknown): boolean;
  /** `kind`: a letter, then letters and digits. */
  isValidKind(value: unknown): boolean;
  /** `metadata.name`: letters and digits separated by `-`, `_` or `.`. */
  isValidEntityName(value: unknown): boolean;
  /** `metadata.namespace`: a DNS label. */
  isValidNamespace(value: unknown): boolean;
  /** A key of `metadata.labels`: `[<DNS subdomain>/]<name>`. */
  isValidLabelKey(value: unknown): boolean;
  /** A value of `metadata.labels`: empty, or a short name. */
  isValidLabelValue(value: unknown): boolean;
  /** A key of `metadata.annotations`: `[<DNS subdomain>/]<name>`. */
  isValidAnnotationKey(value: unknown): boolean;
  /** A value of `metadata.annotations`: any string. */
  isValidAnnotationValue(value: unknown): boolean;
  /** An element of `metadata.tags`: lowercase words joined by `-`. */
  isValidTag(value: unknown): boolean;
}
