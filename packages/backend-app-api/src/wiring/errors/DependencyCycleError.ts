import { CustomErrorBase } from '@plinth/errors';

/**
 * Services, or modules through their extension points, depend on each other
 * in a cycle, so none of them could start first.
 *
 * @public
 */
export class DependencyCycleError extends CustomErrorBase {
  readonly name = 'DependencyCycleError' as const;

  constructor(
    what: string,
    readonly path: string[],
    fix: string,
  ) {
    super(
      `${what} depend on each other in a cycle: ${path.map(p => `'${p}'`).join(' -> ')}. ${fix}`,
    );
  }
}
