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
  /**
   * The unique id of this backend instance: the same for its whole life,
   * and never shared with another instance (another replica, or a later
   * start). Treat it as an opaque string.
   */
  getId(): string;
  /** The plugins installed in this backend, each with its modules. */
  getInstalledPlugins(): Promise<
    ReadonlyArray<RootInstanceMetadataServicePluginInfo>
  >;
}
