import {
  type BackendStateError,
  createSpecializedBackend,
  type Backend,
} from '@plinth/backend-app-api';
import type { ServiceFactory } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import { limitHeapGrowth } from './limitHeapGrowth';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '../actions';
import { apiTokensServiceFactory } from '../apiTokens';
import { authServiceFactory } from '../auth';
import { cacheServiceFactory } from '../cache';
// From the factory's own module: the connections index also loads the
// implementation, which the factory loads only when a plugin needs it.
import { connectionsServiceFactory } from '../connections/connectionsServiceFactory';
import { databaseServiceFactory } from '../database';
import { discoveryServiceFactory } from '../discovery';
import { eventsServiceFactory } from '../events';
import { httpAuthServiceFactory } from '../httpAuth';
import { httpRouterServiceFactory } from '../httpRouter';
import { lifecycleServiceFactory } from '../lifecycle';
import { loggerServiceFactory } from '../logger';
import { metricsServiceFactory } from '../metrics';
import { rootConfigServiceFactory } from '../rootConfig';
import { rootHealthServiceFactory } from '../rootHealth';
import { rootHttpRouterServiceFactory } from '../rootHttpRouter';
import { rootLifecycleServiceFactory } from '../rootLifecycle';
import { rootLoggerServiceFactory } from '../rootLogger';
import { rootSystemMetadataServiceFactory } from '../rootSystemMetadata';
import { schedulerServiceFactory } from '../scheduler';
import { tracingServiceFactory } from '../tracing';
import { instanceMetadataServiceFactory } from '../instanceMetadata';
import { urlReaderServiceFactory } from '../urlReader';
import { userInfoServiceFactory } from '../userInfo';
import { auditorServiceFactory } from '../auditor';
import { permissionsServiceFactory } from '../permissions';
import { permissionsAuthorizerServiceFactory } from '../permissionsAuthorizer';
import { permissionsRegistryServiceFactory } from '../permissionsRegistry';

/**
 * The factory of every core service that `createBackend()` provides, in
 * one list; `pluginMetadata` and `rootInstanceMetadata` come from the
 * engine itself.
 *
 * @public
 */
export const defaultServiceFactories: readonly ServiceFactory[] = [
  rootConfigServiceFactory,
  rootLoggerServiceFactory,
  loggerServiceFactory,
  rootLifecycleServiceFactory,
  lifecycleServiceFactory,
  rootHealthServiceFactory,
  rootHttpRouterServiceFactory,
  httpRouterServiceFactory,
  authServiceFactory,
  // The auth service verifies API tokens with it.
  apiTokensServiceFactory,
  httpAuthServiceFactory,
  userInfoServiceFactory,
  databaseServiceFactory,
  schedulerServiceFactory,
  discoveryServiceFactory,
  urlReaderServiceFactory,
  cacheServiceFactory,
  // Audit and permissions, as Backstage's createBackend() provides them.
  auditorServiceFactory,
  permissionsServiceFactory,
  permissionsAuthorizerServiceFactory,
  permissionsRegistryServiceFactory,
  actionsRegistryServiceFactory,
  actionsServiceFactory,
  rootSystemMetadataServiceFactory,
  metricsServiceFactory,
  tracingServiceFactory,
  // Backstage's createBackend() still provides the plugin-scoped form of
  // rootInstanceMetadata; features written against it expect it.
  instanceMetadataServiceFactory,
  eventsServiceFactory,
  connectionsServiceFactory,
];

/**
 * Creates a backend with the default implementation of every core
 * service: configuration from `app-config.yaml`, winston logging, an
 * express server on `backend.listen`, PGlite or PostgreSQL, and the rest.
 * A factory passed to `backend.add()` replaces the default for its service.
 *
 * As the backend of its process, `start()` first makes V8 collect its
 * heap once it has grown by half over what the last full collection kept
 * (`PLINTH_HEAP_GROWTH_PERCENT` sets another share, 0 leaves it to V8), so
 * that the process's memory stays near what the backend holds.
 *
 * When `start()` fails and the caller does not handle the rejection, the
 * process prints the reason (the message alone for configuration and
 * wiring mistakes) and exits with code 1. A start that `stop()` ends early,
 * as on SIGINT or SIGTERM, has not failed: the stop decides the exit code.
 *
 * @example
 * ```ts
 * const backend = createBackend();
 * backend.add(import('@plinth/plugin-catalog-backend'));
 * backend.start();
 * ```
 * @public
 */
export function createBackend(): Backend {
  const backend = createSpecializedBackend({
    defaultServiceFactories: [...defaultServiceFactories],
  });
  return {
    add: feature => backend.add(feature),
    start: () =>
      startWithFailureReport(async () => {
        limitHeapGrowth();
        await backend.start();
      }),
    stop: () => backend.stop(),
  };
}

// Errors that describe a mistake in configuration or wiring in full; their
// stack would only point into the engine.
const userMistakes = new Set([
  'ConfigError',
  'BackendValidationError',
  'BackendStartupError',
  'BackendStateError',
]);

/**
 * Starts a backend so that a start failure nobody handles becomes a
 * readable message and exit code 1, instead of Node's stack dump. A start
 * that `stop()` ended early is no failure and is left to the stop. Other
 * unhandled rejections keep Node's default behaviour of crashing with
 * their stack, and the watch ends once the start succeeds.
 *
 * @returns the start promise to hand to the caller.
 */
export function startWithFailureReport(
  start: () => Promise<void>,
): Promise<void> {
  const onUnhandled = (reason: unknown, promise: Promise<unknown>) => {
    if (promise !== started) {
      throw reason;
    }
    process.off('unhandledRejection', onUnhandled);
    if (isEndedByStop(reason)) {
      // Not a failure: whoever stopped the backend, a signal handler or the
      // caller, decides how the process ends, and exiting here would cut
      // that stop short.
      return;
    }
    // The engine has already logged a startup failure through the logger.
    if (!(isError(reason) && reason.name === 'BackendStartupError')) {
      process.stderr.write(`${describeFailure(reason)}\n`);
    }
    process.exit(1);
  };
  // A rejection is reported a tick later at the earliest, so listening
  // right after the start began misses nothing.
  const started = start().then(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  process.on('unhandledRejection', onUnhandled);
  return started;
}

function describeFailure(reason: unknown): string {
  if (isError(reason)) {
    return userMistakes.has(reason.name)
      ? reason.message
      : (reason.stack ?? reason.message);
  }
  return `Backend failed to start: ${String(reason)}`;
}

function isEndedByStop(reason: unknown): boolean {
  return (
    isError(reason) &&
    reason.name === 'BackendStateError' &&
    (reason as Partial<BackendStateError>).code ===
      'BACKEND_STOPPED_WHILE_STARTING'
  );
}
