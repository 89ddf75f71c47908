import { CustomErrorBase } from '@plinth/errors';

/**
 * The backend's config could not be loaded or does not match the config
 * schemas; every problem found is listed, one per line.
 *
 * @remarks
 * The problems are user mistakes, so the error carries no stack trace:
 * printing it shows the message only.
 *
 * @public
 */
export class ConfigValidationError extends CustomErrorBase {
  readonly name = 'ConfigValidationError' as const;

  constructor(readonly problems: readonly Error[]) {
    const count =
      problems.length === 1
        ? 'this problem'
        : `these ${problems.length} problems`;
    super(
      `Backend config is invalid; fix ${count} and start the backend again:\n${problems.map(p => `  - ${p.message}`).join('\n')}`,
    );
    this.stack = `${this.name}: ${this.message}`;
  }
}
