import type { LoggerService } from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import { FeatureStartupError } from './errors/FeatureStartupError';
import type { FeatureRegistration } from './FeatureRegistration';
import type { PluginUnit } from './PluginUnit';
import type { BootFailureAction, BootFailurePolicy } from './BootFailurePolicy';

/**
 * Receives every failure of a plugin or module during start, including
 * those a plugin reports for a module through its extension point, and
 * applies the boot failure policy: `continue` failures are logged,
 * `abort` failures are kept until the start checks them. Failures reported
 * after the start completed can no longer abort it, so they are logged.
 */
export class BootFailureRecorder {
  readonly #policy: BootFailurePolicy;
  readonly #logger: LoggerService;
  readonly #order: readonly string[];
  readonly #failures: FeatureStartupError[] = [];
  #closed = false;

  /**
   * @param units - the plugins and modules in registration order, which is
   *   the order failures are listed in, however they interleave in time.
   */
  constructor(
    policy: BootFailurePolicy,
    logger: LoggerService,
    units: readonly PluginUnit[],
  ) {
    this.#policy = policy;
    this.#logger = logger;
    this.#order = units.flatMap(u => [
      u.plugin.label,
      ...u.modules.map(m => m.label),
    ]);
  }

  /** The failures that must abort the start, so far. */
  get failures(): readonly Error[] {
    const rank = (error: FeatureStartupError) =>
      this.#order.indexOf(error.feature);
    return [...this.#failures].sort((a, b) => rank(a) - rank(b));
  }

  /** Records a failure and returns the action the policy chose. */
  report(feature: FeatureRegistration, cause: unknown): BootFailureAction {
    const error = new FeatureStartupError(feature.label, cause);
    const logger = this.#logger.child({ plugin: feature.pluginId });
    const meta = toError(cause);
    const action =
      feature.kind === 'plugin'
        ? this.#policy.forPlugin(feature.pluginId)
        : this.#policy.forModule(feature.pluginId, feature.moduleId!);
    if (this.#closed) {
      logger.error(
        `${error.message} It was reported after the backend had started, so the backend keeps running.`,
        meta,
      );
    } else if (action === 'continue') {
      logger.error(
        `${error.message} The backend starts without it because its boot failure policy is 'continue'.`,
        meta,
      );
    } else {
      this.#failures.push(error);
    }
    return action;
  }

  /** Ends the start: later reports are logged instead of kept. */
  close(): void {
    this.#closed = true;
  }
}
