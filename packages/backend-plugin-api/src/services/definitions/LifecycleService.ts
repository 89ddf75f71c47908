import type { LoggerService } from './LoggerService';

/**
 * A lifecycle hook; async hooks are awaited.
 *
 * @public
 */
export type LifecycleServiceHook = () => void | Promise<void>;

/**
 * Options for a lifecycle hook.
 *
 * @public
 */
export interface LifecycleServiceHookOptions {
  /**
   * Names the hook in logs and errors, such as `'close pool'`.
   * @defaultValue its position and the place it was added
   */
  name?: string;
  /**
   * Where a failure of the hook is logged.
   * @defaultValue the owner's logger
   */
  logger?: LoggerService;
}

/**
 * Hooks into a plugin's start and stop.
 *
 * @public
 */
export interface LifecycleService {
  /** Runs after every plugin has initialised. */
  addStartupHook(
    hook: LifecycleServiceHook,
    options?: LifecycleServiceHookOptions,
  ): void;
  /** Runs when the backend stops, after traffic has drained. */
  addShutdownHook(
    hook: LifecycleServiceHook,
    options?: LifecycleServiceHookOptions,
  ): void;
}

/**
 * Hooks into the whole backend's start and stop.
 *
 * @public
 */
export interface RootLifecycleService extends LifecycleService {
  /**
   * Runs first when the backend stops, before plugins shut down: the
   * place to stop taking traffic.
   */
  addBeforeShutdownHook(
    hook: LifecycleServiceHook,
    options?: LifecycleServiceHookOptions,
  ): void;
}
