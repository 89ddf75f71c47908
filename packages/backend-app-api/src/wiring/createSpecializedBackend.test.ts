import { createSpecializedBackend } from './createSpecializedBackend';

describe('createSpecializedBackend', () => {
  it.each<[string, unknown, string]>([
    [
      'missing default factories',
      {},
      'createSpecializedBackend() needs defaultServiceFactories: an array of service factories, or [] for none.',
    ],
    [
      'a default factory that is not a service factory',
      { defaultServiceFactories: [{ featureType: 'registrations' }] },
      'createSpecializedBackend() got defaultServiceFactories[0] that is not a service factory; pass results of createServiceFactory().',
    ],
    [
      'a handleSignals that is not a boolean',
      { defaultServiceFactories: [], handleSignals: 'yes' },
      "createSpecializedBackend() got handleSignals the string 'yes'; use true or false.",
    ],
    [
      'a progress interval that is not a positive number',
      { defaultServiceFactories: [], startupProgressIntervalMs: 0 },
      'createSpecializedBackend() got startupProgressIntervalMs number 0; use a positive number of milliseconds.',
    ],
    [
      'a shutdown timeout given as a string',
      { defaultServiceFactories: [], shutdownTimeoutMs: '30s' },
      "createSpecializedBackend() got shutdownTimeoutMs the string '30s'; use a positive number of milliseconds.",
    ],
  ])('rejects %s', (_name, options, message) => {
    expect(() => createSpecializedBackend(options as never)).toThrow(
      new Error(message),
    );
  });
});
