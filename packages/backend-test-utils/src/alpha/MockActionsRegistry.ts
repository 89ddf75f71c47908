import type {
  ActionsRegistryActionOptions,
  ActionsRegistryService,
  ActionsService,
  ActionsServiceAction,
} from '@plinth/backend-plugin-api/alpha';
import type {
  BackstageCredentials,
  JsonObject,
  JsonValue,
  LoggerService,
} from '@plinth/backend-plugin-api';
import { ConfigReader } from '@plinth/backend-defaults';
import { DefaultActionsRegistryService } from '@plinth/backend-defaults/alpha';
import type { AnyZodObject } from 'zod/v3';
import { MockLoggerService } from '../services/MockLoggerService';
import { mockCredentials } from '../services/mockCredentials';

/**
 * An actions registry and actions service in one, for testing actions
 * without a backend: `register()` checks an action as the real registry
 * does, under the plugin id `test`, and `invoke()` runs it with the same
 * input, secrets and output checks.
 *
 * @example
 * ```ts
 * const registry = actionsRegistryServiceMock();
 * registry.register({
 *   name: 'greet',
 *   title: 'Greet',
 *   description: 'Says hello.',
 *   schema: { input: z => z.object({ name: z.string() }), output: z => z.object({ greeting: z.string() }) },
 *   action: async ({ input }) => ({ output: { greeting: `Hello ${input.name}` } }),
 * });
 * await registry.invoke({ id: 'test:greet', input: { name: 'Ada' } });
 * // { output: { greeting: 'Hello Ada' } }
 * ```
 * @alpha
 */
export class MockActionsRegistry
  implements ActionsRegistryService, ActionsService
{
  readonly #registry: DefaultActionsRegistryService;

  /** A registry whose handlers log to `logger`, or to a logger of its own. */
  static create(options?: { logger?: LoggerService }): MockActionsRegistry {
    return new MockActionsRegistry(
      options?.logger ?? MockLoggerService.create(),
    );
  }

  private constructor(logger: LoggerService) {
    this.#registry = DefaultActionsRegistryService.create({
      pluginId: 'test',
      logger,
      config: new ConfigReader({}, 'mock-config'),
    });
  }

  /** Registers an action under `test:<name>`, with the real registry's checks. */
  register<
    TInputSchema extends AnyZodObject,
    TOutputSchema extends AnyZodObject,
    TSecretsSchema extends AnyZodObject | undefined = undefined,
  >(
    options: ActionsRegistryActionOptions<
      TInputSchema,
      TOutputSchema,
      TSecretsSchema
    >,
  ): void {
    this.#registry.register(options);
  }

  /** The registered actions, as the list route would answer them. */
  async list(): Promise<{ actions: ActionsServiceAction[] }> {
    return { actions: this.#registry.list() };
  }

  /**
   * Runs a registered action.
   *
   * @param opts - `credentials` are what the handler sees as the caller's;
   *   `mockCredentials.none()` when absent.
   * @throws the errors of the real registry's invoke, such as an
   *   `InputError` naming the fields the input gets wrong.
   */
  async invoke(opts: {
    id: string;
    input?: JsonObject;
    secrets?: JsonObject;
    credentials?: BackstageCredentials;
  }): Promise<{ output: JsonValue }> {
    return this.#registry.invoke({
      ...opts,
      credentials: opts.credentials ?? mockCredentials.none(),
    });
  }
}
