import type { LoggerService } from '@plinth/backend-plugin-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@plinth/backend-defaults/alpha';
import { MockActionsRegistry } from './MockActionsRegistry';

/**
 * A {@link MockActionsRegistry} to register and invoke actions in a unit
 * test; `.factory()` is the real registry factory, for `startTestBackend`.
 *
 * @example
 * ```ts
 * const registry = actionsRegistryServiceMock();
 * await myPluginActions.register(registry);
 * const { actions } = await registry.list();
 * ```
 * @alpha
 */
export function actionsRegistryServiceMock(options?: {
  logger?: LoggerService;
}): MockActionsRegistry {
  return MockActionsRegistry.create(options);
}
actionsRegistryServiceMock.factory = () => actionsRegistryServiceFactory;

/**
 * The actions service for tests: `.factory()` is the real one, which calls
 * the plugins of `backend.actions.pluginSources` in the test backend.
 *
 * @alpha
 */
export const actionsServiceMock = {
  factory: () => actionsServiceFactory,
};
