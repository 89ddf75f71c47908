import type { IncomingMessage } from 'node:http';
import type {
  AuthService,
  BackstageCredentials,
  HttpRouterServiceWebSocketHandler,
  LoggerService,
  RootHttpRouterService,
} from '@plinth/backend-plugin-api';
import {
  AuthenticationError,
  describeValue,
  httpStatusOf,
  InputError,
  toError,
} from '@plinth/errors';
import { writeUpgradeRejection } from '../rootHttpRouter/WebSocketUpgradeRouter';

/** What a plugin's WebSocket handlers share: who the plugin is and its auth. */
export interface PluginWebSocketContext {
  pluginId: string;
  rootHttpRouter: RootHttpRouterService;
  auth: AuthService;
  logger: LoggerService;
  /** `backend.auth.dangerouslyDisableDefaultAuthPolicy`. */
  disableDefaultAuthPolicy: boolean;
}

/** How many tokens one upgrade may ask us to verify. */
const maxTokenCandidates = 5;

/**
 * Registers a plugin's WebSocket handler on the root router at
 * `/api/<pluginId><path>`, behind the credentials check its HTTP routes
 * have: unless `authPolicy` is `unauthenticated`, the upgrade needs a user
 * or service token, else it gets a 401 or 403 and its socket is closed.
 *
 * @throws {@link @plinth/errors#InputError} when the path or handler is
 *   invalid; what `rootHttpRouter.addWebSocketHandler()` throws.
 */
export function addPluginWebSocketHandler(
  context: PluginWebSocketContext,
  options: HttpRouterServiceWebSocketHandler,
): void {
  const { pluginId, rootHttpRouter, logger } = context;
  const call = `addWebSocketHandler() of plugin '${pluginId}'`;
  const { path, handler, authPolicy } = options ?? {};
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new InputError(
      `${call} got the path ${describeValue(path)}; a path starts with '/' and is relative to '/api/${pluginId}', such as '/events'.`,
    );
  }
  if (typeof handler !== 'function') {
    throw new InputError(
      `${call} got handler ${describeValue(handler)} for path '${path}'; pass a function that takes { request, socket, head, credentials }.`,
    );
  }
  if (authPolicy !== undefined && authPolicy !== 'unauthenticated') {
    throw new InputError(
      `${call} got authPolicy ${describeValue(authPolicy)} for path '${path}'; use 'unauthenticated', or leave it out to require credentials.`,
    );
  }
  rootHttpRouter.addWebSocketHandler({
    path: `/api/${pluginId}${path === '/' ? '' : path}`,
    handler: async ({ request, socket, head }) => {
      let caller: { credentials: BackstageCredentials; authProtocol?: string };
      try {
        caller = await authenticateUpgrade(context, request, authPolicy);
      } catch (thrown) {
        const error = toError(thrown);
        const status = httpStatusOf(error) ?? 500;
        const where = `WebSocket upgrade to '${request.url?.split('?')[0]}'`;
        if (status >= 500) {
          logger.error(`${where} failed with ${status}`, error);
        } else {
          logger.debug(`${where} answered ${status}: ${error.message}`);
        }
        writeUpgradeRejection(socket, request, error);
        return;
      }
      // The client may have gone, or the backend begun to stop, meanwhile.
      if (!socket.destroyed) {
        await handler({ request, socket, head, ...caller });
      }
    },
  });
}

/**
 * Finds the caller of an upgrade. Browsers cannot set headers on a
 * WebSocket, so besides `Authorization: Bearer <token>` each value of
 * `Sec-WebSocket-Protocol` is tried as a token, the protocols first; the
 * first that is a user's or a service's wins.
 *
 * @throws {@link @plinth/errors#AuthenticationError} when no candidate is
 *   a valid token, or there are too many to try;
 *   {@link @plinth/errors#NotAllowedError} when a valid token is refused.
 */
async function authenticateUpgrade(
  context: PluginWebSocketContext,
  request: IncomingMessage,
  authPolicy: HttpRouterServiceWebSocketHandler['authPolicy'],
): Promise<{ credentials: BackstageCredentials; authProtocol?: string }> {
  const { auth } = context;
  if (authPolicy === 'unauthenticated') {
    return { credentials: await auth.getNoneCredentials() };
  }
  const bearer = /^Bearer +(\S+)$/i.exec(
    request.headers.authorization ?? '',
  )?.[1];
  const protocols = (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map(value => value.trim())
    .filter(Boolean);
  const candidates = bearer ? [...protocols, bearer] : protocols;
  const refused = `WebSocket upgrade to '${request.url?.split('?')[0]}' refused`;
  if (candidates.length > maxTokenCandidates) {
    throw new AuthenticationError(
      `${refused}: it offers ${candidates.length} token candidates in 'Authorization' and 'Sec-WebSocket-Protocol'; send at most ${maxTokenCandidates}.`,
    );
  }
  let notAllowed: Error | undefined;
  let invalid: Error | undefined;
  for (const token of candidates) {
    try {
      const credentials = await auth.authenticate(token);
      if (
        auth.isPrincipal(credentials, 'user') ||
        auth.isPrincipal(credentials, 'service')
      ) {
        return {
          credentials,
          authProtocol: protocols.includes(token) ? token : undefined,
        };
      }
    } catch (thrown) {
      const error = toError(thrown);
      if (error.name === 'NotAllowedError') {
        notAllowed ??= error;
      } else {
        invalid ??= error;
      }
    }
  }
  if (context.disableDefaultAuthPolicy) {
    return { credentials: await auth.getNoneCredentials() };
  }
  if (notAllowed) {
    throw notAllowed;
  }
  if (invalid || candidates.length > 0) {
    const which =
      candidates.length === 1
        ? 'its token is not'
        : `none of its ${candidates.length} token candidates is`;
    throw new AuthenticationError(
      `${refused}: ${which} a valid user or service token. Send a fresh token.`,
      invalid,
    );
  }
  throw new AuthenticationError(
    `${refused}: it carries no token. Send 'Authorization: Bearer <token>', or the token as a 'Sec-WebSocket-Protocol' value.`,
  );
}
