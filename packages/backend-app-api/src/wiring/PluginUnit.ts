import type { ExtensionPointRegistration } from '@plinth/backend-plugin-api';
import type { FeatureRegistration } from './FeatureRegistration';

/**
 * An extension point together with the plugin or module that provides it.
 */
export interface ProvidedExtensionPoint {
  readonly provider: FeatureRegistration;
  readonly registration: ExtensionPointRegistration;
}

/**
 * A plugin with its modules: the unit that initialises together.
 */
export interface PluginUnit {
  readonly pluginId: string;
  readonly plugin: FeatureRegistration;
  readonly modules: readonly FeatureRegistration[];
}
