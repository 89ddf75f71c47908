import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEvent,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  JsonObject,
} from '@plinth/backend-plugin-api';
import { ForwardedError, isError } from '@plinth/errors';
import type { Request } from 'express';
import type {
  AuditorEvent,
  AuditorEventActorDetails,
  AuditorEventError,
  AuditorSink,
} from './AuditorSink';

/**
 * Options for {@link DefaultAuditorService.create}.
 *
 * @public
 */
export interface DefaultAuditorServiceOptions {
  pluginId: string;
  auth: AuthService;
  httpAuth: HttpAuthService;
  /** Every sink receives every event, in order. */
  sinks: readonly AuditorSink[];
}

/**
 * A plugin's auditor: each event is written to every sink when it is
 * created (`initiated`) and when it ends (`succeeded` or `failed`). The
 * actor is the request's principal, or the plugin itself for events
 * without a request.
 *
 * @public
 */
export class DefaultAuditorService implements AuditorService {
  readonly #options: DefaultAuditorServiceOptions;

  /**
   * @example
   * ```ts
   * const auditor = DefaultAuditorService.create({ pluginId: 'todo', auth, httpAuth, sinks: [sink] });
   * const event = await auditor.createEvent({ eventId: 'item-create', severityLevel: 'medium', request: req });
   * await event.success({ meta: { id } });
   * ```
   */
  static create(options: DefaultAuditorServiceOptions): DefaultAuditorService {
    return new DefaultAuditorService(options);
  }

  private constructor(options: DefaultAuditorServiceOptions) {
    this.#options = options;
  }

  /**
   * @throws what `httpAuth.credentials()` throws for the request, such as
   *   an `AuthenticationError` for an invalid token, forwarded with context.
   */
  async createEvent(
    options: AuditorServiceCreateEventOptions,
  ): Promise<AuditorServiceEvent> {
    const severityLevel = options.severityLevel ?? 'low';
    const sinks = this.#options.sinks.filter(
      sink => sink.accepts?.(severityLevel) ?? true,
    );
    if (sinks.length === 0) {
      // Nothing will be written, but a request with credentials that
      // cannot be read fails here as it does when events are written.
      if (options.request) {
        await this.#credentials(options.request);
      }
      return unwrittenEvent;
    }
    const common = {
      plugin: this.#options.pluginId,
      eventId: options.eventId,
      severityLevel,
      actor: await this.#actor(options.request),
      ...(options.request && {
        request: {
          url: options.request.originalUrl,
          method: options.request.method,
        },
      }),
    };
    const withMeta = (meta?: JsonObject) => {
      const merged = { ...options.meta, ...meta };
      return Object.keys(merged).length > 0 ? { meta: merged } : {};
    };
    await this.#write(sinks, { ...common, ...withMeta(), status: 'initiated' });
    return {
      success: async params => {
        await this.#write(sinks, {
          ...common,
          ...withMeta(params?.meta),
          status: 'succeeded',
        });
      },
      fail: async params => {
        await this.#write(sinks, {
          ...common,
          ...withMeta(params.meta),
          status: 'failed',
          error: toAuditorEventError(params.error),
        });
      },
    };
  }

  async #write(
    sinks: readonly AuditorSink[],
    event: AuditorEvent,
  ): Promise<void> {
    for (const sink of sinks) {
      await sink.write(event);
    }
  }

  async #credentials(request?: Request): Promise<BackstageCredentials> {
    const { auth, httpAuth } = this.#options;
    if (!request) {
      return auth.getOwnServiceCredentials();
    }
    try {
      return await httpAuth.credentials(request);
    } catch (error) {
      throw new ForwardedError(
        `Could not record audit event of plugin '${this.#options.pluginId}': the request's credentials could not be read`,
        error,
      );
    }
  }

  async #actor(request?: Request): Promise<AuditorEventActorDetails> {
    const credentials = await this.#credentials(request);
    const { auth } = this.#options;
    return {
      ...actorIdOf(auth, credentials),
      ...(request && {
        ip: request.ip,
        hostname: request.hostname,
        userAgent: request.get('user-agent'),
      }),
    };
  }
}

function actorIdOf(
  auth: AuthService,
  credentials: BackstageCredentials,
): { actorId?: string } {
  if (auth.isPrincipal(credentials, 'user')) {
    return { actorId: credentials.principal.userEntityRef };
  }
  if (auth.isPrincipal(credentials, 'service')) {
    return { actorId: credentials.principal.subject };
  }
  return {};
}

/** The event of a severity no sink writes. */
const unwrittenEvent: AuditorServiceEvent = {
  success: async () => undefined,
  fail: async () => undefined,
};

/**
 * Keeps an error's name, message, string `code` and causes, and nothing
 * else: no stack, and no other field, where request options or headers
 * with secrets tend to hide.
 */
export function toAuditorEventError(
  error: unknown,
  seen = new Set<unknown>(),
): AuditorEventError {
  if (!isError(error)) {
    return { name: 'Error', message: String(error) };
  }
  seen.add(error);
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' && { code }),
    ...(cause !== undefined &&
      !seen.has(cause) && { cause: toAuditorEventError(cause, seen) }),
  };
}
