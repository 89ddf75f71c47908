import { InputError } from '@plinth/errors';
import type { ConnectionRegistration } from '../services/definitions/ConnectionsService';
import type {
  BackendModuleRegistrationPoints,
  BackendPluginRegistrationPoints,
} from './BackendFeature';

/**
 * The registration point behind {@link declareConnection}, present on the
 * registration points of `createBackendPlugin` and `createBackendModule`
 * (Plinth's and Backstage's alike).
 *
 * @internal
 */
export interface RegisterConnectionPoint {
  registerConnection(registration: ConnectionRegistration): void;
}

/**
 * Declares that a plugin or module uses a connection type, so that its
 * `connectionsServiceRef` may look that type up. Call it in `register`,
 * before `registerInit`.
 *
 * @example
 * ```ts
 * register(env) {
 *   declareConnection(env, { type: 'github', description: 'Reads repositories' });
 *   env.registerInit({ deps: { connections: connectionsServiceRef }, async init() {} });
 * }
 * ```
 * @throws {@link @plinth/errors#InputError} when `env` does not come from a
 * plugin's or module's `register`, or the declaration is refused there.
 * @alpha
 */
export function declareConnection(
  env: BackendPluginRegistrationPoints | BackendModuleRegistrationPoints,
  registration: ConnectionRegistration,
): void {
  const point = env as Partial<RegisterConnectionPoint> | undefined;
  if (typeof point?.registerConnection !== 'function') {
    throw new InputError(
      'declareConnection() needs the registration points passed to register() of createBackendPlugin or createBackendModule; the object it got has no registerConnection.',
    );
  }
  point.registerConnection(registration);
}
