import { CustomErrorBase } from '@plinth/errors';

/**
 * A feature uses an extension point it may not use: a plugin consuming any
 * extension point, or a module consuming one of another plugin.
 *
 * @public
 */
export class ExtensionPointAccessError extends CustomErrorBase {
  readonly name = 'ExtensionPointAccessError' as const;

  /** A plugin lists an extension point in its deps. */
  static consumedByPlugin(
    pluginId: string,
    extensionPointId: string,
    depName: string,
  ): ExtensionPointAccessError {
    return new ExtensionPointAccessError(
      `Plugin '${pluginId}' depends on extension point '${extensionPointId}' (deps.${depName}), but only modules can use extension points; a plugin reads what its modules added through its own extension point implementation.`,
    );
  }

  /** A module lists an extension point that belongs to another plugin. */
  static consumedAcrossPlugins(options: {
    moduleId: string;
    pluginId: string;
    extensionPointId: string;
    ownerPluginId: string;
  }): ExtensionPointAccessError {
    const { moduleId, pluginId, extensionPointId, ownerPluginId } = options;
    return new ExtensionPointAccessError(
      `Module '${moduleId}' for plugin '${pluginId}' consumes extension point '${extensionPointId}', which belongs to plugin '${ownerPluginId}'. A module may only use extension points of its own plugin; depend on a service instead.`,
    );
  }

  private constructor(message: string) {
    super(message);
  }
}
