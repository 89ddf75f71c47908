import type {
  ExtensionPointRegistration,
  RegistrationInit,
} from '@plinth/backend-plugin-api';

/**
 * A plugin or module as the engine works with it, whatever protocol
 * version it was declared in.
 */
export interface FeatureRegistration {
  readonly kind: 'plugin' | 'module';
  readonly pluginId: string;
  readonly moduleId?: string;
  /** How errors and logs name it: `plugin 'x'` or `module 'm' for plugin 'x'`. */
  readonly label: string;
  /** Where it was created, as `describeOrigin` renders it. */
  readonly origin: string;
  readonly extensionPoints: readonly ExtensionPointRegistration[];
  readonly init: RegistrationInit;
}
