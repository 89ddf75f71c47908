import { type CustomErrorBase, InputError } from '@plinth/errors';
import { DEFAULT_NAMESPACE } from './entity/Entity';
import { isPlainObject } from './validation/defaultFieldValidators';

/**
 * One broken rule of an entity.
 *
 * @public
 */
export interface EntityValidationProblem {
  /**
   * The path of the broken field, e.g. `metadata.tags[0]`; empty when the
   * entity itself is not an object.
   */
  field: string;
  /**
   * The field, the rule it breaks and what the field holds, described by
   * type and shape only, in one sentence.
   */
  message: string;
}

/**
 * `InputError` typed as its abstract base: `InputError` fixes `name` to the
 * literal 'InputError', while the base leaves it abstract, so the subclass
 * below can declare its own explicit name and still be an `InputError` at
 * run time.
 */
const InputErrorBase: typeof CustomErrorBase = InputError;

/**
 * An entity breaks the envelope, metadata or kind rules.
 *
 * @remarks
 * The message names the entity and lists every problem found, one line
 * each; `field` is that of the first problem. Neither quotes the values of
 * fields: an entity may hold resolved placeholders, such as the content of
 * a file, and this error reaches HTTP responses and logs. It is an
 * `InputError` at run time, so code that checks `instanceof InputError`
 * treats it as bad input.
 *
 * @public
 */
export class EntityValidationError extends InputErrorBase {
  readonly name = 'EntityValidationError' as const;
  /** The path of the first broken field, e.g. `metadata.name`. */
  readonly field: string;

  constructor(
    /** The entity, or what was given as one, for naming it. */
    entity: unknown,
    /** Every broken rule; at least one. */
    readonly problems: readonly EntityValidationProblem[],
  ) {
    super(formatMessage(entity, problems));
    this.field = problems[0]?.field ?? '';
  }
}

function formatMessage(
  entity: unknown,
  problems: readonly EntityValidationProblem[],
): string {
  const subject = describeEntity(entity);
  if (problems.length === 1) {
    return `${subject}: ${problems[0].message}.`;
  }
  return [
    `${subject} has ${problems.length} problems:`,
    ...problems.map(problem => `  ${problem.message}.`),
  ].join('\n');
}

/**
 * Names the entity as well as its fields allow, in the canonical ref form
 * (kind and namespace lowercased) that the catalog shows elsewhere.
 */
function describeEntity(entity: unknown): string {
  if (!isPlainObject(entity)) {
    return 'Invalid entity';
  }
  const { kind } = entity;
  const metadata = isPlainObject(entity.metadata) ? entity.metadata : {};
  const { name, namespace } = metadata;
  const hasKind = typeof kind === 'string' && kind !== '';
  const hasName = typeof name === 'string' && name !== '';
  if (hasKind && hasName) {
    const ns =
      typeof namespace === 'string' && namespace !== ''
        ? namespace
        : DEFAULT_NAMESPACE;
    return `Invalid entity '${kind.toLowerCase()}:${ns.toLowerCase()}/${name}'`;
  }
  if (hasKind) {
    return `Invalid entity of kind '${kind}'`;
  }
  if (hasName) {
    return `Invalid entity named '${name}'`;
  }
  return 'Invalid entity';
}
