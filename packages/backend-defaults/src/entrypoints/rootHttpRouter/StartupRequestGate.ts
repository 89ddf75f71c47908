import type { RootInstanceMetadataService } from '@plinth/backend-plugin-api';
import { ServiceUnavailableError } from '@plinth/errors';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';

type Outcome = 'started' | 'stopping';

/** A plugin id that can be a path segment, as `use()` accepts it. */
const pathSegmentPattern = /^[\w.~-]+$/;

/**
 * Holds requests to `/api/<pluginId>` of an installed plugin that arrive
 * before the backend has started, so that they reach the plugin once its
 * routes exist instead of getting a 404. A request waits until {@link
 * StartupRequestGate.open} or at most `timeoutMs`, then gets a 503 naming
 * the plugin. Requests to other paths, and every request once the gate is
 * open, pass straight through.
 *
 * @remarks
 * Which requests belong to a plugin is decided by express itself, with a
 * mount at `/api/<pluginId>` per installed plugin, so that every path that
 * would reach the plugin's routes (such as `/API/Catalog`, as express
 * matches without regard to case) is held too.
 */
export class StartupRequestGate {
  readonly #instanceMetadata: RootInstanceMetadataService;
  readonly #timeoutMs: number;
  readonly #waiters = new Set<(outcome: Outcome) => void>();
  #state: 'starting' | Outcome = 'starting';

  static create(options: {
    instanceMetadata: RootInstanceMetadataService;
    timeoutMs: number;
  }): StartupRequestGate {
    return new StartupRequestGate(options.instanceMetadata, options.timeoutMs);
  }

  private constructor(
    instanceMetadata: RootInstanceMetadataService,
    timeoutMs: number,
  ) {
    this.#instanceMetadata = instanceMetadata;
    this.#timeoutMs = timeoutMs;
  }

  /** The backend has started: let waiting and future requests through. */
  open(): void {
    this.#settle('started');
  }

  /**
   * The backend stops before it started: answer waiting and future plugin
   * requests with 503. Has no effect once the gate is open.
   */
  close(): void {
    this.#settle('stopping');
  }

  /**
   * The middleware that holds requests while the backend starts. Once the
   * gate is open it is synchronous, so the requests of a started backend
   * pay for neither a promise nor a router.
   */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (this.#state === 'started') {
        next();
      } else {
        this.#hold(req, res, next).catch(next);
      }
    };
  }

  async #hold(req: Request, res: Response, next: NextFunction): Promise<void> {
    const plugins = await this.#instanceMetadata.getInstalledPlugins();
    const pluginMounts = express.Router();
    for (const { pluginId } of plugins) {
      if (pathSegmentPattern.test(pluginId)) {
        pluginMounts.use(`/api/${pluginId}`, (_req, _res, holdNext) => {
          this.#waitForStart(pluginId).then(() => holdNext(), holdNext);
        });
      }
    }
    pluginMounts(req, res, next);
  }

  #settle(outcome: Outcome) {
    if (this.#state !== 'starting') {
      return;
    }
    this.#state = outcome;
    for (const waiter of this.#waiters) {
      waiter(outcome);
    }
    this.#waiters.clear();
  }

  #waitForStart(pluginId: string): Promise<void> {
    // The state may have changed while the installed plugins were read.
    if (this.#state === 'started') {
      return Promise.resolve();
    }
    if (this.#state === 'stopping') {
      return Promise.reject(stoppingError(pluginId));
    }
    return new Promise((resolve, reject) => {
      const waiter = (outcome: Outcome) => {
        clearTimeout(timer);
        if (outcome === 'started') {
          resolve();
        } else {
          reject(stoppingError(pluginId));
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new ServiceUnavailableError(
            `Plugin '${pluginId}' is not ready: the backend was still starting after this request waited ${this.#timeoutMs}ms. Try again later; if start-up is slow, raise 'backend.lifecycle.startupRequestWaitTimeout'.`,
          ),
        );
      }, this.#timeoutMs);
      timer.unref();
      this.#waiters.add(waiter);
    });
  }
}

function stoppingError(pluginId: string): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `Plugin '${pluginId}' is not available: the backend is shutting down before it finished starting. Try again once it has restarted.`,
  );
}
