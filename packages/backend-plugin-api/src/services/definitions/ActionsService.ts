import type { JsonObject, JsonValue } from '@plinth/errors';
import type { JSONSchema7 } from 'json-schema';
import { createServiceRef } from '../createServiceRef';
import type { BackstageCredentials } from './AuthService';

/**
 * An action as callers see it: its id, owner, description, JSON schemas
 * and behaviour, as the registry of its plugin lists it.
 *
 * @alpha
 */
export type ActionsServiceAction = {
  /** `<pluginId>:<name>`, such as `catalog:get-entity`. */
  id: string;
  pluginId: string;
  name: string;
  title: string;
  description: string;
  schema: {
    input: JSONSchema7;
    output: JSONSchema7;
    secrets?: JSONSchema7;
  };
  examples?: Array<{
    title: string;
    description?: string;
    input: JsonObject;
    output?: JsonObject;
  }>;
  attributes: {
    readOnly: boolean;
    destructive: boolean;
    idempotent: boolean;
  };
};

/**
 * Lists and invokes the actions of the plugins named in
 * `backend.actions.pluginSources`, wherever they run, on behalf of the
 * credentials passed in.
 *
 * @alpha
 */
export interface ActionsService {
  /** The actions the caller may see, of every reachable plugin source. */
  list: (opts: {
    credentials: BackstageCredentials;
  }) => Promise<{ actions: ActionsServiceAction[] }>;
  /**
   * Invokes an action by id; throws the typed error of the refusal, such
   * as `InputError` for input the action's schema rejects.
   */
  invoke(opts: {
    id: string;
    input?: JsonObject;
    secrets?: JsonObject;
    credentials: BackstageCredentials;
  }): Promise<{ output: JsonValue }>;
}

/**
 * The plugin's client of every plugin's actions, with Backstage's id
 * `alpha.core.actions`.
 *
 * @example
 * ```ts
 * const { output } = await actions.invoke({
 *   id: 'catalog:get-entity',
 *   input: { entityRef: 'component:default/web' },
 *   credentials: await httpAuth.credentials(req),
 * });
 * ```
 * @alpha
 */
export const actionsServiceRef = createServiceRef<ActionsService>({
  id: 'alpha.core.actions',
});
