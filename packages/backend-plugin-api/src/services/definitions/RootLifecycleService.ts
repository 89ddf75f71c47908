import type {
  LifecycleService,
  LifecycleServiceHook,
  LifecycleServiceHookOptions,
} from './LifecycleService';

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
