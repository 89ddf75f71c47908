import type { ConnectionsService } from '@plinth/backend-plugin-api/alpha';
import { InputError } from '@plinth/errors';

/**
 * Limits a connections service to the connection types a feature declared
 * with `declareConnection`, so that the declarations are a complete list of
 * what the feature may reach (Backstage's engine does the same).
 *
 * @param label - how errors name the feature, such as `plugin 'todo'`.
 */
export function withDeclaredConnections(
  service: ConnectionsService,
  label: string,
  declaredTypes: readonly string[],
): ConnectionsService {
  const find = (options: { type: string }) => {
    const type = options?.type;
    if (!declaredTypes.includes(type)) {
      const quoted = JSON.stringify(type ?? null);
      return Promise.reject(
        new InputError(
          `The ${label} looked up connection type ${quoted}, which it did not declare. Declare it in register() with declareConnection(env, { type: ${quoted} }).`,
        ),
      );
    }
    return service.find(options as never);
  };
  return { find } as ConnectionsService;
}
