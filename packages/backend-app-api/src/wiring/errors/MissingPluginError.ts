import { CustomErrorBase } from '@plinth/errors';

/**
 * A module is installed without the plugin it extends.
 *
 * @public
 */
export class MissingPluginError extends CustomErrorBase {
  readonly name = 'MissingPluginError' as const;

  constructor(
    readonly pluginId: string,
    readonly moduleId: string,
  ) {
    super(
      `Module '${moduleId}' for plugin '${pluginId}' is installed, but plugin '${pluginId}' is not; add the plugin with backend.add(), or remove the module.`,
    );
  }
}
