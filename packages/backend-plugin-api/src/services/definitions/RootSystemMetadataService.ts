/**
 * A plugin of the whole deployment, which may span several backend
 * instances, with the base URLs each instance serves it on.
 *
 * @public
 */
export interface RootSystemMetadataServicePluginInfo {
  readonly pluginId: string;
  /**
   * The base URLs the plugin is reached on: `internal` as other backends
   * call it, `external` as callers outside the backends do.
   */
  readonly hosts: (string | { external: string; internal: string })[];
}

/**
 * Describes the system this backend belongs to: the plugins installed in
 * this instance and those `discovery.endpoints` places on other instances.
 *
 * @public
 */
export interface RootSystemMetadataService {
  getInstalledPlugins: () => Promise<
    ReadonlyArray<RootSystemMetadataServicePluginInfo>
  >;
}
