// Types only: the registry's implementation hands `z` to the schema
// callbacks, so this package loads no zod code (see the README).
import type { AnyZodObject, z } from 'zod/v3';
import { createServiceRef } from '../createServiceRef';
import type { BackstageCredentials } from './AuthService';
import type { LoggerService } from './LoggerService';

/**
 * What an action's handler receives: the input and secrets, parsed by their
 * schemas, the credentials of whoever invoked the action, and a logger.
 *
 * @alpha
 */
export type ActionsRegistryActionContext<
  TInputSchema extends AnyZodObject,
  TSecretsSchema extends AnyZodObject | undefined = undefined,
> = {
  input: z.infer<TInputSchema>;
  /** The parsed secrets; `undefined` for an action without a secrets schema. */
  secrets: TSecretsSchema extends AnyZodObject
    ? z.infer<TSecretsSchema>
    : undefined;
  logger: LoggerService;
  /** The caller's credentials, to act on its behalf (such as a user). */
  credentials: BackstageCredentials;
};

/**
 * An example call of an action, listed with it for people and agents.
 *
 * @alpha
 */
export type ActionsRegistryActionExample<
  TInputSchema extends AnyZodObject,
  TOutputSchema extends AnyZodObject,
> = {
  title: string;
  description?: string;
  input: z.infer<TInputSchema>;
  output?: z.infer<TOutputSchema>;
};

/**
 * A permission that decides who may see and invoke an action; the shape of
 * a basic permission of Backstage's `@backstage/plugin-permission-common`.
 *
 * @alpha
 */
export type ActionsRegistryVisibilityPermission = {
  type: 'basic';
  name: string;
  attributes: { action?: 'create' | 'read' | 'update' | 'delete' };
};

/**
 * One action a plugin registers: its name (the id is
 * `<pluginId>:<name>`), what it does, the zod schemas of its input and
 * output (and secrets), how it behaves, and its handler.
 *
 * @alpha
 */
export type ActionsRegistryActionOptions<
  TInputSchema extends AnyZodObject,
  TOutputSchema extends AnyZodObject,
  TSecretsSchema extends AnyZodObject | undefined = undefined,
> = {
  /** Unique within the plugin, such as `get-entity`. */
  name: string;
  title: string;
  description: string;
  /**
   * Each schema is built by a callback that gets the registry's `z` (zod's
   * v3 API, as Backstage hands it), so plugins need no zod of their own.
   */
  schema: {
    input: (zod: typeof z) => TInputSchema;
    output: (zod: typeof z) => TOutputSchema;
    secrets?: (
      zod: typeof z,
    ) => TSecretsSchema extends AnyZodObject ? TSecretsSchema : never;
  };
  examples?: Array<ActionsRegistryActionExample<TInputSchema, TOutputSchema>>;
  visibilityPermission?: ActionsRegistryVisibilityPermission;
  attributes?: {
    /**
     * Whether the action may change or delete things irreversibly.
     * @defaultValue `false` when `readOnly` is `true`, else `true`
     */
    destructive?: boolean;
    /**
     * Whether calling the action twice with the same input has the effect
     * of calling it once.
     * @defaultValue `false`
     */
    idempotent?: boolean;
    /**
     * Whether the action only reads.
     * @defaultValue `false`
     */
    readOnly?: boolean;
  };
  /** Runs the action; its `output` must match the output schema. */
  action: (
    context: ActionsRegistryActionContext<TInputSchema, TSecretsSchema>,
  ) => Promise<
    z.infer<TOutputSchema> extends void
      ? void
      : { output: z.infer<TOutputSchema> }
  >;
};

/**
 * Where a plugin registers its actions, which the registry serves on the
 * plugin's router for {@link ActionsService} callers anywhere in the
 * deployment.
 *
 * @alpha
 */
export interface ActionsRegistryService {
  /**
   * Adds an action under `<pluginId>:<name>`; throws when the options are
   * invalid or the name is taken.
   */
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
  ): void;
}

/**
 * The plugin's actions registry, with Backstage's id
 * `alpha.core.actionsRegistry`.
 *
 * @example
 * ```ts
 * env.registerInit({
 *   deps: { actionsRegistry: actionsRegistryServiceRef },
 *   async init({ actionsRegistry }) {
 *     actionsRegistry.register({
 *       name: 'greet',
 *       title: 'Greet',
 *       description: 'Says hello to someone.',
 *       schema: {
 *         input: z => z.object({ name: z.string() }),
 *         output: z => z.object({ greeting: z.string() }),
 *       },
 *       action: async ({ input }) => ({ output: { greeting: `Hello ${input.name}` } }),
 *     });
 *   },
 * });
 * ```
 * @alpha
 */
export const actionsRegistryServiceRef =
  createServiceRef<ActionsRegistryService>({
    id: 'alpha.core.actionsRegistry',
  });
