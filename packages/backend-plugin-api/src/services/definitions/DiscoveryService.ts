/**
 * Finds the base URLs of plugins.
 *
 * @public
 */
export interface DiscoveryService {
  /** The URL other backend plugins use, such as `http://localhost:7007/api/catalog`. */
  getBaseUrl(pluginId: string): Promise<string>;
  /** The URL callers outside the backend use. */
  getExternalBaseUrl(pluginId: string): Promise<string>;
}
