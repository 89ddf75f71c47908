/**
 * Tells a plugin-scoped service which plugin it serves.
 *
 * @public
 */
export interface PluginMetadataService {
  getId(): string;
}

/**
 * A plugin installed in this backend, with its modules.
 *
 * @public
 */
export interface RootInstanceMetadataServicePluginInfo {
  readonly pluginId: string;
  readonly modules: ReadonlyArray<{ readonly moduleId: string }>;
}

/**
 * Describes this backend instance.
 *
 * @public
 */
export interface RootInstanceMetadataService {
  getInstalledPlugins(): Promise<
    ReadonlyArray<RootInstanceMetadataServicePluginInfo>
  >;
}
