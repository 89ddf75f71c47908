import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@plinth/backend-defaults/alpha';
import {
  actionsRegistryServiceMock,
  actionsServiceMock,
} from '@plinth/backend-test-utils/alpha';
import { mockCredentials } from '../services/mockCredentials';

function createRegistryWithGreet() {
  const registry = actionsRegistryServiceMock();
  registry.register({
    name: 'greet',
    title: 'Greet',
    description: 'Says hello.',
    schema: {
      input: z => z.object({ name: z.string() }),
      output: z => z.object({ greeting: z.string(), by: z.string() }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        greeting: `Hello ${input.name}`,
        by: (credentials.principal as { type: string }).type,
      },
    }),
  });
  return registry;
}

describe('MockActionsRegistry', () => {
  it('registers actions under the plugin id test and lists them', async () => {
    const registry = createRegistryWithGreet();
    const { actions } = await registry.list();
    expect(actions.map(a => [a.id, a.pluginId])).toEqual([
      ['test:greet', 'test'],
    ]);
  });

  it('invokes an action with the given credentials, or none', async () => {
    const registry = createRegistryWithGreet();
    await expect(
      registry.invoke({
        id: 'test:greet',
        input: { name: 'Ada' },
        credentials: mockCredentials.user(),
      }),
    ).resolves.toEqual({ output: { greeting: 'Hello Ada', by: 'user' } });
    await expect(
      registry.invoke({ id: 'test:greet', input: { name: 'Ada' } }),
    ).resolves.toEqual({ output: { greeting: 'Hello Ada', by: 'none' } });
  });

  it('checks the input as the real registry does', async () => {
    const registry = createRegistryWithGreet();
    await expect(
      registry.invoke({ id: 'test:greet', input: {} }),
    ).rejects.toThrow(
      "Invalid input to action 'test:greet': 'name': Required. Send input that matches the action's input schema.",
    );
  });
});

describe('actionsRegistryServiceMock', () => {
  it('offers the real factories for test backends', () => {
    expect(actionsRegistryServiceMock.factory()).toBe(
      actionsRegistryServiceFactory,
    );
    expect(actionsServiceMock.factory()).toBe(actionsServiceFactory);
  });
});
