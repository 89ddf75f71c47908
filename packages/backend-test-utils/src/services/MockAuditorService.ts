import {
  DefaultAuditorService,
  type AuditorEvent,
} from '@plinth/backend-defaults';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEvent,
  AuthService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { MockAuthService, MockHttpAuthService } from './MockAuthService';

/**
 * An auditor that keeps every event in memory for assertions, as the
 * default auditor would write them (the same fields, actors and error
 * shape); the auditors it makes for plugins share its list.
 *
 * @public
 */
export class MockAuditorService implements AuditorService {
  readonly #events: AuditorEvent[];
  readonly #auditor: AuditorService;

  /**
   * Creates an auditor for one plugin, whose requests count as
   * `mockCredentials.user()` unless they carry a mock token.
   *
   * @example
   * ```ts
   * const auditor = MockAuditorService.create();
   * await (await auditor.createEvent({ eventId: 'item-read' })).success();
   * auditor.events.map(e => e.status); // ['initiated', 'succeeded']
   * ```
   */
  static create(options?: { pluginId?: string }): MockAuditorService {
    const pluginId = options?.pluginId ?? 'test';
    const auth = new MockAuthService({ pluginId });
    return new MockAuditorService([], {
      pluginId,
      auth,
      httpAuth: new MockHttpAuthService({ auth }),
    });
  }

  private constructor(
    events: AuditorEvent[],
    deps: { pluginId: string; auth: AuthService; httpAuth: HttpAuthService },
  ) {
    this.#events = events;
    this.#auditor = DefaultAuditorService.create({
      ...deps,
      sinks: [{ write: event => void events.push(event) }],
    });
  }

  /** Every event recorded by this auditor and those made from it, in order. */
  get events(): readonly AuditorEvent[] {
    return this.#events;
  }

  createEvent(
    options: AuditorServiceCreateEventOptions,
  ): Promise<AuditorServiceEvent> {
    return this.#auditor.createEvent(options);
  }

  /** An auditor for another plugin that records into the same list. */
  forPlugin(deps: {
    pluginId: string;
    auth: AuthService;
    httpAuth: HttpAuthService;
  }): MockAuditorService {
    return new MockAuditorService(this.#events, deps);
  }
}
