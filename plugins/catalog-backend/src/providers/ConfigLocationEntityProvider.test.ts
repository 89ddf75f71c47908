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

  it('refuses a url location in config that carries credentials or is not http(s)', () => {
    const create = (target: string) =>
      new ConfigLocationEntityProvider({
        config: mockServices.rootConfig({
          data: { catalog: { locations: [{ type: 'url', target }] } },
        }),
      });
    expect(() =>
      create('https://x-token:glpat-secret@gitlab.example.com/a.yaml'),
    ).toThrow(
      "Invalid config at 'catalog.locations[0].target' ('url:https://gitlab.example.com/a.yaml'): it carries a credential in a user name or password, and location targets are shown to every catalog reader and written to logs; remove it from the URL and give it to the URL reader instead, in the 'headers' of the rule for host 'gitlab.example.com' in 'backend.reading.allow'.",
    );
    expect(() => create('file:///etc/passwd')).toThrow(
      "Invalid config at 'catalog.locations[0].target' ('url:file:///etc/passwd'): its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have.",
    );
  });
});
