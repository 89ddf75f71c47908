import { createBackendPlugin } from './createBackendPlugin';
import { unwrapFeature } from './BackendFeature';

const feature = createBackendPlugin({
  pluginId: 'todo',
  register(env) {
    env.registerInit({ deps: {}, async init() {} });
  },
});

describe('unwrapFeature', () => {
  it('returns a feature as it is', () => {
    expect(unwrapFeature(feature)).toBe(feature);
  });

  it('unwraps the default export of an ES module', () => {
    expect(unwrapFeature({ default: feature })).toBe(feature);
  });

  it('unwraps a CommonJS module imported from ES code, which has two default layers', () => {
    expect(unwrapFeature({ default: { default: feature } })).toBe(feature);
  });

  it('unwraps no more than two layers', () => {
    const three = { default: { default: { default: feature } } };
    expect(unwrapFeature(three)).toBe(three.default.default);
  });

  it('stops at the first feature even if it has a default property', () => {
    const tagged = { ...feature, default: 'other' };
    expect(unwrapFeature({ default: tagged })).toBe(tagged);
  });

  it('returns values that are not modules as they are', () => {
    expect(unwrapFeature('catalog')).toBe('catalog');
    expect(unwrapFeature(null)).toBeNull();
    const keys = { plugin: feature };
    expect(unwrapFeature(keys)).toBe(keys);
  });
});
