/**
 * Tells a plugin-scoped service which plugin it serves.
 *
 * @public
 */
export interface PluginMetadataService {
  getId(): string;
}
