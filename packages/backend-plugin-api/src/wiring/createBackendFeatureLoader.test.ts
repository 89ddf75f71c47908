import { createBackendFeatureLoader } from './createBackendFeatureLoader';
import type { InternalBackendFeatureLoader } from './createBackendFeatureLoader';

describe('createBackendFeatureLoader', () => {
  it('rejects a loader that is not a function', () => {
    expect(() => createBackendFeatureLoader({ loader: 'x' } as never)).toThrow(
      /^createBackendFeatureLoader\(\) needs a loader function, got the string 'x' \(feature loader created at packages\/backend-plugin-api\/src\/wiring\/createBackendFeatureLoader\.test\.ts:\d+:\d+\)\.$/,
    );
  });

  it('records where it was created, since loaders have no id', () => {
    const loader = createBackendFeatureLoader({
      *loader() {},
    }) as InternalBackendFeatureLoader;
    expect(loader.description).toMatch(
      /^created at packages\/backend-plugin-api\/src\/wiring\/createBackendFeatureLoader\.test\.ts:\d+:\d+$/,
    );
    expect(loader).toMatchObject({
      featureType: 'loader',
      version: 'v1',
      deps: {},
    });
  });
});
