import type { JsonObject } from '@plinth/backend-plugin-api';
import type { ActionsRegistryActionOptions } from '@plinth/backend-plugin-api/alpha';
import { mockCredentials, MockLoggerService } from '@plinth/backend-test-utils';
import type { AnyZodObject } from 'zod/v3';
import { ConfigReader } from '../../config';
import { DefaultActionsRegistryService } from './DefaultActionsRegistryService';

function createRegistry(config: JsonObject = {}) {
  return DefaultActionsRegistryService.create({
    pluginId: 'shop',
    logger: MockLoggerService.create(),
    config: new ConfigReader(config, 'test'),
  });
}

const echo: ActionsRegistryActionOptions<AnyZodObject, AnyZodObject> = {
  name: 'echo',
  title: 'Echo',
  description: 'Answers the name it gets.',
  schema: {
    input: z => z.object({ name: z.string(), count: z.number().optional() }),
    output: z => z.object({ name: z.string() }),
  },
  action: async ({ input }) => ({ output: { name: input.name } }),
};

describe('DefaultActionsRegistryService', () => {
  it('lists an action with its id, JSON schemas and default attributes', () => {
    const registry = createRegistry();
    registry.register(echo);
    expect(registry.list()).toEqual([
      {
        id: 'shop:echo',
        pluginId: 'shop',
        name: 'echo',
        title: 'Echo',
        description: 'Answers the name it gets.',
        attributes: { readOnly: false, destructive: true, idempotent: false },
        schema: {
          input: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: {
              name: { type: 'string' },
              count: { type: 'number' },
            },
            required: ['name'],
            additionalProperties: false,
          },
          output: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { name: { type: 'string' } },
            required: ['name'],
            additionalProperties: false,
          },
        },
      },
    ]);
  });

  it('treats a read-only action as not destructive unless it says so', () => {
    const registry = createRegistry();
    registry.register({ ...echo, attributes: { readOnly: true } });
    registry.register({
      ...echo,
      name: 'wipe',
      attributes: { readOnly: true, destructive: true, idempotent: true },
    });
    expect(registry.list().map(a => [a.id, a.attributes])).toEqual([
      ['shop:echo', { readOnly: true, destructive: false, idempotent: false }],
      ['shop:wipe', { readOnly: true, destructive: true, idempotent: true }],
    ]);
  });

  it('refuses a second action with the same name', () => {
    const registry = createRegistry();
    registry.register(echo);
    expect(() => registry.register(echo)).toThrow(
      expect.objectContaining({
        name: 'RuntimeServiceError',
        code: 'ACTIONS_NAME_TAKEN',
        message:
          "Cannot register action 'shop:echo': plugin 'shop' already registered an action named 'echo'. Give each action of a plugin its own name.",
      }),
    );
  });

  it('lists every problem of an invalid registration in one error', () => {
    const registry = createRegistry();
    const invalid = {
      name: 'bad name',
      title: '',
      description: 42,
      schema: {
        input: (z: { string(): unknown }) => z.string(),
        output: 'not a function',
        secrets: () => {
          throw new Error('boom');
        },
      },
      attributes: { readOnly: 'yes' },
      action: undefined,
    } as unknown as ActionsRegistryActionOptions<AnyZodObject, AnyZodObject>;
    expect(() => registry.register(invalid)).toThrow(
      expect.objectContaining({
        code: 'ACTIONS_REGISTRATION_INVALID',
        message: [
          "Cannot register action 'shop:bad name' of plugin 'shop':",
          "  - its name must use only letters, digits, '-', '_' and '.', starting with a letter or digit, such as 'get-entity', got the string 'bad name'",
          "  - its title must be a non-empty string, got the string ''",
          '  - its description must be a non-empty string, got number 42',
          '  - its action must be a function, got undefined',
          "  - its attribute 'readOnly' must be true or false, got the string 'yes'",
          '  - its schema.input callback must return z.object(...), got a ZodString',
          "  - its schema.output must be a function that builds a zod object schema from the z it gets, such as z => z.object({}), got the string 'not a function'",
          '  - its schema.secrets callback threw: boom',
        ].join('\n'),
      }),
    );
    expect(registry.list()).toEqual([]);
  });

  it('refuses options that are not an object', () => {
    const registry = createRegistry();
    expect(() =>
      registry.register(
        null as unknown as ActionsRegistryActionOptions<
          AnyZodObject,
          AnyZodObject
        >,
      ),
    ).toThrow(
      "Cannot register an action of plugin 'shop': register() got null; pass { name, title, description, schema, action }.",
    );
  });

  it('passes the parsed input and the caller credentials to the handler', async () => {
    const registry = createRegistry();
    const seen: unknown[] = [];
    registry.register({
      ...echo,
      action: async ({ input, credentials }) => {
        seen.push(input, credentials);
        return { output: { name: input.name } };
      },
    });
    const credentials = mockCredentials.user('user:default/ada');
    await expect(
      registry.invoke({ id: 'shop:echo', input: { name: 'x' }, credentials }),
    ).resolves.toEqual({ output: { name: 'x' } });
    expect(seen).toEqual([{ name: 'x' }, credentials]);
  });

  it('refuses input that breaks the schema, naming each field', async () => {
    const registry = createRegistry();
    registry.register(echo);
    await expect(
      registry.invoke({
        id: 'shop:echo',
        input: { count: 'three' },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'InputError',
        message:
          "Invalid input to action 'shop:echo': 'name': Required; 'count': Expected number, received string. Send input that matches the action's input schema.",
      }),
    );
  });

  it('answers 404 for an action it does not serve', async () => {
    const registry = createRegistry();
    await expect(
      registry.invoke({ id: 'shop:nope', credentials: mockCredentials.user() }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message:
          "Action 'shop:nope' not found in plugin 'shop'. GET /.backstage/actions/v1/actions lists the actions it serves.",
      }),
    );
  });

  it('refuses output that breaks the output schema', async () => {
    const registry = createRegistry();
    registry.register({
      ...echo,
      action: async () => ({
        output: { name: 7 } as unknown as { name: string },
      }),
    });
    await expect(
      registry.invoke({
        id: 'shop:echo',
        input: { name: 'x' },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'RuntimeServiceError',
        code: 'ACTIONS_OUTPUT_INVALID',
        message:
          "Action 'shop:echo' returned output that does not match its output schema: 'name': Expected string, received number. Fix the action's handler or its output schema.",
      }),
    );
  });

  it('parses secrets with their schema and refuses missing or unexpected ones', async () => {
    const registry = createRegistry();
    registry.register(echo);
    registry.register({
      ...echo,
      name: 'login',
      schema: {
        ...echo.schema,
        secrets: z => z.object({ apiKey: z.string() }),
      },
      action: async ({ input, secrets }) => ({
        output: {
          name: `${input.name}:${String(secrets.apiKey)}`,
        },
      }),
    });
    const credentials = mockCredentials.user();
    await expect(
      registry.invoke({
        id: 'shop:login',
        input: { name: 'a' },
        secrets: { apiKey: 'k' },
        credentials,
      }),
    ).resolves.toEqual({ output: { name: 'a:k' } });
    expect(registry.list()[1].schema.secrets).toMatchObject({
      properties: { apiKey: { type: 'string' } },
    });
    await expect(
      registry.invoke({ id: 'shop:login', input: { name: 'a' }, credentials }),
    ).rejects.toThrow(
      "Action 'shop:login' requires secrets but none were provided. Send them with the v2 invoke route as { input, secrets }.",
    );
    await expect(
      registry.invoke({
        id: 'shop:login',
        input: { name: 'a' },
        secrets: { apiKey: 3 },
        credentials,
      }),
    ).rejects.toThrow(
      "Invalid secrets for action 'shop:login': 'apiKey': Expected string, received number. Send secrets that match the action's secrets schema.",
    );
    await expect(
      registry.invoke({
        id: 'shop:echo',
        input: { name: 'a' },
        secrets: { apiKey: 'k' },
        credentials,
      }),
    ).rejects.toThrow(
      "Action 'shop:echo' does not accept secrets. Invoke it without them.",
    );
  });

  it('serves nothing when the plugin is not an action source', async () => {
    const registry = createRegistry({
      backend: { actions: { pluginSources: ['catalog'] } },
    });
    registry.register(echo);
    expect(registry.list()).toEqual([]);
    await expect(
      registry.invoke({
        id: 'shop:echo',
        input: { name: 'x' },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow(expect.objectContaining({ name: 'NotFoundError' }));
  });

  it('hides actions that the filter excludes or does not include', () => {
    const registry = createRegistry({
      backend: {
        actions: {
          filter: {
            include: [{ id: 'shop:*' }],
            exclude: [{ attributes: { destructive: true, readOnly: false } }],
          },
        },
      },
    });
    registry.register(echo);
    registry.register({
      ...echo,
      name: 'peek',
      attributes: { readOnly: true },
    });
    expect(registry.list().map(a => a.id)).toEqual(['shop:peek']);
  });
});
