import { InputError } from '@plinth/errors';
import type { RootLifecycleService } from './definitions/LifecycleService';
import type {
  PermissionConditionsApplier,
  PermissionsAuthorizer,
  RootPermissionsAuthorizerService,
} from './definitions/PermissionsAuthorizerService';
import type { RootInstanceMetadataService } from './definitions/PluginMetadataService';

/**
 * Options for {@link DefaultRootPermissionsAuthorizerService.create}.
 *
 * @alpha
 */
export interface DefaultRootPermissionsAuthorizerServiceOptions {
  /** Tells whether the `permission` plugin is installed in this backend. */
  rootInstanceMetadata: RootInstanceMetadataService;
  /** Its startup hook ends the wait of a plugin that never set one. */
  rootLifecycle: RootLifecycleService;
}

/**
 * The slot for this backend's in-process authorizer, and the default of
 * `alpha.core.permissionsAuthorizer`: it lives here, with no dependency
 * beyond core root services, so the `permission` plugin also starts on a
 * runtime without Plinth's backend-defaults (Backstage's
 * `createBackend()`). Callers wait for it
 * only when the `permission` plugin is installed here; plugins start in
 * parallel, so a plugin may ask before the permission plugin's init has
 * run, and falling back to HTTP then would send the request to a router
 * that is not serving yet.
 *
 * @alpha
 */
export class DefaultRootPermissionsAuthorizerService implements RootPermissionsAuthorizerService {
  readonly #rootInstanceMetadata: RootInstanceMetadataService;
  #installed: Promise<boolean> | undefined;
  readonly #set: Promise<PermissionsAuthorizer | undefined>;
  #resolve!: (authorizer: PermissionsAuthorizer | undefined) => void;
  #authorizer: PermissionsAuthorizer | undefined;
  readonly #appliers = new Map<string, PermissionConditionsApplier>();

  /**
   * @example
   * ```ts
   * const slot = DefaultRootPermissionsAuthorizerService.create({ rootInstanceMetadata, rootLifecycle });
   * slot.setAuthorizer(authorizer); // from the permission plugin's init
   * ```
   */
  static create(
    options: DefaultRootPermissionsAuthorizerServiceOptions,
  ): DefaultRootPermissionsAuthorizerService {
    return new DefaultRootPermissionsAuthorizerService(options);
  }

  private constructor(options: DefaultRootPermissionsAuthorizerServiceOptions) {
    this.#set = new Promise(resolve => {
      this.#resolve = resolve;
    });
    this.#rootInstanceMetadata = options.rootInstanceMetadata;
    // Every init has run by now: a permission plugin that set nothing
    // (it failed, and the boot policy let the backend start) never will.
    options.rootLifecycle.addStartupHook(() => this.#resolve(undefined));
  }

  /**
   * @throws {@link @plinth/errors#InputError} when an authorizer is set
   *   already.
   */
  setAuthorizer(authorizer: PermissionsAuthorizer): void {
    if (this.#authorizer) {
      throw new InputError(
        "An in-process permissions authorizer is set already; only the 'permission' plugin sets one, once, from its init.",
      );
    }
    this.#authorizer = authorizer;
    this.#resolve(authorizer);
  }

  async getAuthorizer(): Promise<PermissionsAuthorizer | undefined> {
    if (this.#authorizer) {
      return this.#authorizer;
    }
    // Read on first use: the engine knows the installed plugins once it
    // starts, after this service is created.
    this.#installed ??= this.#rootInstanceMetadata
      .getInstalledPlugins()
      .then(plugins => plugins.some(p => p.pluginId === 'permission'));
    return (await this.#installed) ? this.#set : undefined;
  }

  /**
   * @throws {@link @plinth/errors#InputError} when the plugin has one
   *   already.
   */
  addConditionsApplier(
    pluginId: string,
    applier: PermissionConditionsApplier,
  ): void {
    if (this.#appliers.has(pluginId)) {
      throw new InputError(
        `Plugin '${pluginId}' already applies permission conditions in-process; its permissions registry adds that once.`,
      );
    }
    this.#appliers.set(pluginId, applier);
  }

  getConditionsApplier(
    pluginId: string,
  ): PermissionConditionsApplier | undefined {
    return this.#appliers.get(pluginId);
  }
}
