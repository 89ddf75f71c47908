import { createServiceRef } from '@plinth/backend-plugin-api';

/**
 * How long the plugins of this backend took to start, for metrics and
 * start-up reports.
 *
 * @alpha
 */
export interface RootStartupTimesService {
  /**
   * The seconds each started plugin took to initialise, by plugin id: from
   * the creation of its eager services, through its modules' inits, to the
   * end of its own init. A plugin appears once its init has finished, and
   * never when it failed to start.
   */
  getPluginInitDurations(): ReadonlyMap<string, number>;
}

/**
 * The engine's {@link RootStartupTimesService}; every backend has it, and
 * `@plinth/backend-defaults` reports it as `backend.plugin.init.duration`.
 *
 * @alpha
 */
export const rootStartupTimesServiceRef =
  createServiceRef<RootStartupTimesService>({
    id: 'alpha.core.rootStartupTimes',
    scope: 'root',
  });
