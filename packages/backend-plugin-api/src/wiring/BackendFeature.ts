/**
 * Anything that can be added to a backend with `backend.add()`: a plugin, a
 * module, a service factory or a feature loader.
 *
 * @remarks
 * Features are plain data tagged with `$$type`, so that a backend recognises
 * features built against any copy or version of this package.
 *
 * @public
 */
export interface BackendFeature {
  readonly $$type: '@backstage/BackendFeature';
}
