import { CustomErrorBase, describeErrorChain, isError } from '@plinth/errors';

/**
 * The backend's features do not fit together; every problem found before
 * any plugin was initialised is listed, one per line.
 *
 * @public
 */
export class BackendValidationError extends CustomErrorBase {
  readonly name = 'BackendValidationError' as const;

  constructor(readonly problems: readonly Error[]) {
    const count =
      problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Backend cannot start: found ${count} before initializing any plugin:\n${formatErrorList(problems)}`,
    );
  }
}

/**
 * One or more plugins or modules failed to start under the `abort` boot
 * failure policy; each is listed with its cause.
 *
 * @public
 */
export class BackendStartupError extends CustomErrorBase {
  readonly name = 'BackendStartupError' as const;

  constructor(readonly failures: readonly Error[]) {
    const canContinue = failures.some(
      f => f instanceof LifecycleError && f.code === 'FEATURE_STARTUP_FAILED',
    );
    const fix = canContinue
      ? "\nFix the causes above, or let the backend start without a failed plugin or module by setting its policy to 'continue' (backend.startup.plugins.<pluginId>.onPluginBootFailure, or .modules.<moduleId>.onPluginModuleBootFailure)."
      : '\nFix the causes above.';
    super(`Backend failed to start:\n${formatErrorList(failures)}${fix}`);
  }
}

/**
 * One or more hooks failed while the backend stopped; every other hook
 * still ran.
 *
 * @public
 */
export class BackendShutdownError extends CustomErrorBase {
  readonly name = 'BackendShutdownError' as const;

  constructor(readonly failures: readonly Error[]) {
    super(
      `Backend stopped with errors:\n${formatErrorList(failures)}\nEvery other hook ran; fix the ones above so that resources close cleanly.`,
    );
  }
}

/**
 * The codes of {@link BackendStateError}, one per misuse.
 *
 * @public
 */
export type BackendStateErrorCode =
  | 'BACKEND_ADD_AFTER_START'
  | 'BACKEND_START_AGAIN'
  | 'BACKEND_STOPPED_WHILE_STARTING'
  | 'LIFECYCLE_HOOK_TOO_LATE';

/**
 * A backend method was called in a state that does not allow it, such as
 * `add()` after `start()`.
 *
 * @public
 */
export class BackendStateError extends CustomErrorBase {
  readonly name = 'BackendStateError' as const;

  /** `add()` after `start()` or `stop()`. */
  static addTooLate(
    after: 'backend.start()' | 'backend.stop()',
  ): BackendStateError {
    return new BackendStateError(
      'BACKEND_ADD_AFTER_START',
      `backend.add() was called after ${after}; add every feature before starting the backend.`,
    );
  }

  /** `start()` on a backend that started, failed to start, or stopped. */
  static startAgain(
    state: 'started' | 'failed' | 'stopped',
  ): BackendStateError {
    const messages = {
      started:
        'backend.start() was called twice; start a backend once, or create another one.',
      failed:
        'backend.start() was called again after a failed start; fix the reported problems and start a new backend.',
      stopped:
        'backend.start() was called after backend.stop(); create a new backend to start again.',
    };
    return new BackendStateError('BACKEND_START_AGAIN', messages[state]);
  }

  /** The start ended early because `stop()` was called. */
  static stoppedWhileStarting(): BackendStateError {
    return new BackendStateError(
      'BACKEND_STOPPED_WHILE_STARTING',
      'The backend was stopped while it was starting.',
    );
  }

  /** A hook was added for a phase that already ran, so it would never run. */
  static hookTooLate(phase: string, owner: string): BackendStateError {
    return new BackendStateError(
      'LIFECYCLE_HOOK_TOO_LATE',
      `The ${phase} hooks of ${owner} have already run, so a new ${phase} hook would never run; add hooks during init.`,
    );
  }

  private constructor(
    readonly code: BackendStateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A service factory threw while creating an instance; the cause says why.
 *
 * @public
 */
export class ServiceFactoryError extends CustomErrorBase {
  readonly name = 'ServiceFactoryError' as const;

  /**
   * @param part - set to `'root context'` when the factory's
   *   `createRootContext`, shared by every plugin, failed.
   */
  constructor(
    readonly serviceId: string,
    readonly pluginId: string | undefined,
    cause: unknown,
    part?: 'root context',
  ) {
    super(
      part
        ? `The shared root context of service '${serviceId}' could not be created.`
        : pluginId
          ? `Service '${serviceId}' could not be created for plugin '${pluginId}'.`
          : `Service '${serviceId}' could not be created.`,
      cause,
    );
  }
}

/**
 * The codes of {@link WiringError}: what validation found wrong with the
 * features, before any plugin init ran. The README lists each with its fix.
 *
 * @public
 */
export type WiringErrorCode =
  // Values given to backend.add() or yielded by a loader
  | 'FEATURE_LOAD_FAILED'
  | 'FEATURE_IS_FUNCTION'
  | 'FEATURE_NOT_A_FEATURE'
  | 'FEATURE_NO_DEFAULT_EXPORT'
  | 'FEATURE_UNSUPPORTED_VERSION'
  | 'FEATURE_UNKNOWN_TYPE'
  | 'FEATURE_REGISTER_FAILED'
  | 'LOADER_FAILED'
  | 'LOADER_INVALID_OUTPUT'
  | 'LOADER_FACTORY_TOO_LATE'
  // Plugin and module registrations
  | 'REGISTRATION_UNKNOWN_TYPE'
  | 'REGISTRATION_NO_INIT'
  | 'REGISTRATION_FOREIGN_EXTENSION_POINT'
  | 'PLUGIN_DUPLICATE'
  | 'PLUGIN_MISSING'
  | 'MODULE_DUPLICATE'
  | 'MODULE_CYCLE'
  | 'EXTENSION_POINT_DUPLICATE'
  | 'EXTENSION_POINT_MISSING'
  | 'EXTENSION_POINT_USED_BY_PLUGIN'
  | 'EXTENSION_POINT_OF_OTHER_PLUGIN'
  // Services
  | 'SERVICE_DUPLICATE'
  | 'SERVICE_DEFAULT_DUPLICATE'
  | 'SERVICE_RESERVED'
  | 'SERVICE_MISSING'
  | 'SERVICE_SCOPE_ROOT_USES_PLUGIN'
  | 'SERVICE_SCOPE_LOADER_USES_PLUGIN'
  | 'SERVICE_CYCLE'
  | 'SERVICE_DEFAULT_FACTORY_FAILED'
  | 'SERVICE_DEFAULT_FACTORY_MISMATCH'
  | 'SERVICE_CONFIG_UNREADABLE'
  // Config
  | 'CONFIG_INVALID_BOOT_FAILURE_POLICY';

/**
 * One problem that validation found with the backend's features; listed
 * inside {@link BackendValidationError}, except a duplicate default factory,
 * which `createSpecializedBackend()` throws at once.
 *
 * @public
 */
export class WiringError extends CustomErrorBase {
  readonly name = 'WiringError' as const;

  constructor(
    readonly code: WiringErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

/**
 * The codes of {@link LifecycleError}: what failed while the backend ran
 * its plugins and hooks.
 *
 * @public
 */
export type LifecycleErrorCode =
  | 'FEATURE_STARTUP_FAILED'
  | 'LIFECYCLE_HOOK_FAILED'
  | 'LIFECYCLE_PHASE_FAILED'
  | 'LIFECYCLE_WITHOUT_RUNNER'
  | 'SHUTDOWN_START_STILL_RUNNING'
  | 'SHUTDOWN_HOOKS_STILL_RUNNING';

/**
 * One failure while the backend started or stopped: a plugin or module
 * whose init failed, a hook that threw, a lifecycle service the engine
 * cannot drive, or a deadline passed. Listed inside
 * {@link BackendStartupError} and {@link BackendShutdownError}.
 *
 * @public
 */
export class LifecycleError extends CustomErrorBase {
  readonly name = 'LifecycleError' as const;

  /**
   * For `FEATURE_STARTUP_FAILED`, the plugin or module, such as
   * `plugin 'catalog'` or `module 'x' for plugin 'catalog'`.
   */
  readonly feature?: string;

  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
    options?: { cause?: unknown; feature?: string },
  ) {
    super(message, options?.cause);
    this.feature = options?.feature;
  }
}

/**
 * The problem of two features claiming one plugin id, module id, extension
 * point or singleton service.
 */
export function registeredTwice(
  code: Extract<WiringErrorCode, `${string}_DUPLICATE`>,
  what: string,
  first: string,
  second: string,
  fix: string,
): WiringError {
  return new WiringError(
    code,
    `${what} is registered twice: ${first}, and ${second}. ${fix}`,
  );
}

/**
 * The problem of services, or modules through their extension points,
 * depending on each other in a cycle, printed as a path: `'a' -> 'b' -> 'a'`.
 */
export function dependencyCycle(
  code: 'MODULE_CYCLE' | 'SERVICE_CYCLE',
  what: string,
  path: readonly string[],
  fix: string,
): WiringError {
  return new WiringError(
    code,
    `${what} depend on each other in a cycle: ${path.map(p => `'${p}'`).join(' -> ')}. ${fix}`,
  );
}

/**
 * Renders errors as an indented list: each entry's message, then its causes
 * with their names, one per line.
 */
function formatErrorList(errors: readonly unknown[]): string {
  return errors
    .map(error => {
      const head = isError(error) ? error.message : String(error);
      const cause = isError(error) ? error.cause : undefined;
      const causes =
        cause === undefined
          ? ''
          : `\n    caused by ${describeErrorChain(cause).replace(/\n {2}/g, '\n    ')}`;
      return `  - ${head}${causes}`;
    })
    .join('\n');
}
