/**
 * A typed handle for an extension point: the interface a plugin offers to
 * its modules.
 *
 * @public
 */
export interface ExtensionPoint<T> {
  readonly $$type: '@backstage/ExtensionPoint';
  readonly id: string;
  /** Type carrier only; reading it at run time throws. */
  readonly T: T;
  toString(): string;
}

/**
 * Handed to an extension point factory, once for each module that uses the
 * extension point.
 *
 * @public
 */
export interface ExtensionPointFactoryContext {
  /**
   * Marks the module as failed to start, for errors that surface only when
   * the plugin acts on what the module registered. The backend's boot
   * failure policy decides whether the backend still starts.
   */
  reportModuleStartupFailure(options: { error: Error }): void;
}
