import { describeValue, suggestClosestName } from '@plinth/errors';
import { coreServices } from './definitions/coreServices';

/**
 * Why `deps.<name>` is not a service ref, for the messages of the
 * functions that take deps: `deps.database as undefined` alone does not
 * tell that a misspelt `coreServices.databse` is what gives undefined, nor
 * which services exist.
 *
 * @returns such as "deps.database as undefined, as a misspelt member of
 *   coreServices is: did you mean coreServices.database? ..."
 * @internal
 */
export function describeInvalidDep(name: string, dep: unknown): string {
  const given = `deps.${name} as ${describeValue(dep)}`;
  if (dep !== undefined) {
    return given;
  }
  const known = Object.keys(coreServices);
  const closest = suggestClosestName(name, known);
  const guess = closest
    ? `did you mean coreServices.${closest}?`
    : 'check the name of the service ref, or that its package exports it.';
  return `${given}, as a misspelt member of coreServices is: ${guess} The core services are ${known.join(', ')}`;
}
