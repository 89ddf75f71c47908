import path from 'node:path';
import { mockServices } from '@plinth/backend-test-utils';
import type { EntityProviderMutation } from '@plinth/plugin-catalog-node';
import { locationSpecToLocationEntity } from '../locations/locationSpecToLocationEntity';
import { ConfigLocationEntityProvider } from './ConfigLocationEntityProvider';

async function mutationsFor(
  catalog: object,
): Promise<EntityProviderMutation[]> {
  const mutations: EntityProviderMutation[] = [];
  const provider = new ConfigLocationEntityProvider({
    config: mockServices.rootConfig({ data: { catalog: { ...catalog } } }),
  });
  await provider.connect({
    applyMutation: async mutation => {
      mutations.push(mutation);
    },
    refresh: async () => {},
  });
  return mutations;
}

describe('ConfigLocationEntityProvider', () => {
  it('is the entity provider ConfigLocationProvider', () => {
    expect(
      new ConfigLocationEntityProvider({
        config: mockServices.rootConfig(),
      }).getProviderName(),
    ).toBe('ConfigLocationProvider');
  });

  it('replaces its entities with one Location entity per configured location', async () => {
    await expect(
      mutationsFor({
        locations: [
          { type: 'url', target: 'https://git.example.com/catalog-info.yaml' },
          {
            type: 'file',
            target: '/app/org.yaml',
            rules: [{ allow: ['Group'] }],
          },
        ],
      }),
    ).resolves.toEqual([
      {
        type: 'full',
        entities: [
          locationSpecToLocationEntity({
            type: 'url',
            target: 'https://git.example.com/catalog-info.yaml',
          }),
          locationSpecToLocationEntity({
            type: 'file',
            target: '/app/org.yaml',
          }),
        ],
      },
    ]);
  });

  it('resolves relative file targets against the working directory', async () => {
    const [mutation] = await mutationsFor({
      locations: [{ type: 'file', target: 'examples/all.yaml' }],
    });
    expect(mutation).toEqual({
      type: 'full',
      entities: [
        locationSpecToLocationEntity({
          type: 'file',
          target: path.resolve('examples/all.yaml'),
        }),
      ],
    });
  });

  it('removes all its entities when no locations are configured', async () => {
    await expect(mutationsFor({})).resolves.toEqual([
      { type: 'full', entities: [] },
    ]);
  });
});
