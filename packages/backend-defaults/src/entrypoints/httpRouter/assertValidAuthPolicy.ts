import { type HttpRouterServiceAuthPolicy } from '@plinth/backend-plugin-api';
import { describeValue, InputError } from '@plinth/errors';

const allowValues: ReadonlyArray<HttpRouterServiceAuthPolicy['allow']> = [
  'unauthenticated',
  'user-cookie',
];

/**
 * Checks an auth policy that plugin `pluginId` passed to `addAuthPolicy()`.
 *
 * @throws {@link @plinth/errors#InputError} when it is not an object, its
 *   path does not start with `/` or has a query or fragment, or its `allow`
 *   is not one of the valid values.
 */
export function assertValidAuthPolicy(
  policy: unknown,
  pluginId: string,
): asserts policy is HttpRouterServiceAuthPolicy {
  const call = `addAuthPolicy() of plugin '${pluginId}'`;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new InputError(
      `${call} got ${describeValue(policy)}; pass { path, allow }, such as { path: '/health', allow: 'unauthenticated' }.`,
    );
  }
  const { path, allow } = policy as Record<string, unknown>;
  if (
    typeof path !== 'string' ||
    !path.startsWith('/') ||
    /[?#\s]/.test(path)
  ) {
    throw new InputError(
      `${call} got the path ${describeValue(path)}; a path starts with '/' and is relative to '/api/${pluginId}', without query or fragment, such as '/health'.`,
    );
  }
  if (!allowValues.includes(allow as HttpRouterServiceAuthPolicy['allow'])) {
    throw new InputError(
      `${call} got allow ${describeValue(allow)} for path '${path}'; use ${allowValues.map(v => `'${v}'`).join(' or ')}.`,
    );
  }
}
