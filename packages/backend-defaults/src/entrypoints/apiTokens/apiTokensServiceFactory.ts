import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { apiTokensServiceRef } from '@plinth/backend-plugin-api/alpha';
import { readDurationFromConfig } from '../../config';
import { auditorSinkServiceRef } from '../auditor/AuditorSink';
import { DatabaseManager } from '../database/DatabaseManager';
import { ApiTokensStore } from './ApiTokensStore';
import { DefaultApiTokensService } from './DefaultApiTokensService';

/** A quarter: long enough for CI, short enough that forgotten tokens die. */
const defaultMaxLifetimeMs = 90 * 24 * 60 * 60 * 1000;

/**
 * The default `alpha.core.apiTokens`: tokens in the database of 'auth'
 * (`backend.database`, overridable under `backend.database.plugin.auth`),
 * connected on first use, with every use written to the audit sinks. The
 * longest lifetime a token may have is `backend.auth.apiTokens.maxLifetime`
 * (default 90 days), which is also the lifetime of a token created without
 * an expiry.
 *
 * @example
 * ```ts
 * // Already a default of createBackend(); add it to a backend built otherwise.
 * backend.add(apiTokensServiceFactory);
 * ```
 * @public
 */
export const apiTokensServiceFactory = createServiceFactory({
  service: apiTokensServiceRef,
  deps: {
    config: coreServices.rootConfig,
    rootLogger: coreServices.rootLogger,
    rootLifecycle: coreServices.rootLifecycle,
    sinks: auditorSinkServiceRef,
  },
  factory: ({ config, rootLogger, rootLifecycle, sinks }) => {
    const maxLifetimeMs =
      readDurationFromConfig(config, 'backend.auth.apiTokens.maxLifetime', {
        allowZero: false,
      }) ?? defaultMaxLifetimeMs;
    const database = DatabaseManager.forRootConfig(config, {
      logger: rootLogger.child({ service: 'database' }),
      rootLifecycle,
    }).forPlugin('auth', {
      logger: rootLogger.child({ service: 'apiTokens' }),
    });
    return DefaultApiTokensService.create({
      openStore: async () => ApiTokensStore.open(await database.getClient()),
      sinks,
      maxLifetimeMs,
    });
  },
});
