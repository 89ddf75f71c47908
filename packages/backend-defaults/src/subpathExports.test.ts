import * as apiTokens from '@plinth/backend-defaults/apiTokens';
import * as auditor from '@plinth/backend-defaults/auditor';
import * as alpha from '@plinth/backend-defaults/alpha';
import * as auth from '@plinth/backend-defaults/auth';
import * as cache from '@plinth/backend-defaults/cache';
import * as database from '@plinth/backend-defaults/database';
import * as discovery from '@plinth/backend-defaults/discovery';
import * as events from '@plinth/backend-defaults/events';
import * as httpAuth from '@plinth/backend-defaults/httpAuth';
import * as httpRouter from '@plinth/backend-defaults/httpRouter';
import * as lifecycle from '@plinth/backend-defaults/lifecycle';
import * as logger from '@plinth/backend-defaults/logger';
import * as permissions from '@plinth/backend-defaults/permissions';
import * as permissionsRegistry from '@plinth/backend-defaults/permissionsRegistry';
import * as rootConfig from '@plinth/backend-defaults/rootConfig';
import * as rootHealth from '@plinth/backend-defaults/rootHealth';
import * as rootHttpRouter from '@plinth/backend-defaults/rootHttpRouter';
import * as rootLifecycle from '@plinth/backend-defaults/rootLifecycle';
import * as rootLogger from '@plinth/backend-defaults/rootLogger';
import * as rootSystemMetadata from '@plinth/backend-defaults/rootSystemMetadata';
import * as scheduler from '@plinth/backend-defaults/scheduler';
import * as urlReader from '@plinth/backend-defaults/urlReader';
import * as userInfo from '@plinth/backend-defaults/userInfo';
import * as root from '@plinth/backend-defaults';
import manifest from '../package.json';

/** Each subpath with the service factory it must export. */
const subpaths = [
  ['apiTokens', apiTokens.apiTokensServiceFactory],
  ['auditor', auditor.auditorServiceFactory],
  ['auth', auth.authServiceFactory],
  ['cache', cache.cacheServiceFactory],
  ['database', database.databaseServiceFactory],
  ['discovery', discovery.discoveryServiceFactory],
  ['events', events.eventsServiceFactory],
  ['httpAuth', httpAuth.httpAuthServiceFactory],
  ['httpRouter', httpRouter.httpRouterServiceFactory],
  ['lifecycle', lifecycle.lifecycleServiceFactory],
  ['logger', logger.loggerServiceFactory],
  ['permissions', permissions.permissionsServiceFactory],
  [
    'permissionsRegistry',
    permissionsRegistry.permissionsRegistryServiceFactory,
  ],
  ['rootConfig', rootConfig.rootConfigServiceFactory],
  ['rootHealth', rootHealth.rootHealthServiceFactory],
  ['rootHttpRouter', rootHttpRouter.rootHttpRouterServiceFactory],
  ['rootLifecycle', rootLifecycle.rootLifecycleServiceFactory],
  ['rootLogger', rootLogger.rootLoggerServiceFactory],
  ['rootSystemMetadata', rootSystemMetadata.rootSystemMetadataServiceFactory],
  ['scheduler', scheduler.schedulerServiceFactory],
  ['urlReader', urlReader.urlReaderServiceFactory],
  ['userInfo', userInfo.userInfoServiceFactory],
] as const;

/** The alpha services share one subpath, as in Backstage. */
const alphaFactories = [
  ['actions', alpha.actionsServiceFactory],
  ['actionsRegistry', alpha.actionsRegistryServiceFactory],
  ['connections', alpha.connectionsServiceFactory],
  ['metrics', alpha.metricsServiceFactory],
  ['tracing', alpha.tracingServiceFactory],
] as const;

describe('the subpath exports of @plinth/backend-defaults', () => {
  it.each(subpaths)(
    "resolves '@plinth/backend-defaults/%s' to the service's factory",
    (_subpath, factory) => {
      expect(factory).toBeDefined();
      expect(root.defaultServiceFactories).toContain(factory);
    },
  );

  it.each(alphaFactories)(
    "resolves the %s factory of '@plinth/backend-defaults/alpha'",
    (_service, factory) => {
      expect(factory).toBeDefined();
      expect(root.defaultServiceFactories).toContain(factory);
    },
  );

  it('declares one subpath per service and the alpha subpath in package.json, and no other', () => {
    expect(Object.keys(manifest.exports).sort()).toEqual(
      [
        '.',
        './alpha',
        './package.json',
        ...subpaths.map(([subpath]) => `./${subpath}`),
      ].sort(),
    );
    expect(Object.keys(manifest.typesVersions['*']).sort()).toEqual(
      ['alpha', ...subpaths.map(([subpath]) => subpath)].sort(),
    );
  });

  it('resolves the alpha subpath at run time the way Node does', () => {
    expect(require.resolve('@plinth/backend-defaults/alpha')).toMatch(
      /src\/alpha\.ts$/,
    );
  });

  it('resolves every subpath at run time the way Node does', () => {
    for (const [subpath] of subpaths) {
      expect(require.resolve(`@plinth/backend-defaults/${subpath}`)).toMatch(
        new RegExp(`src/entrypoints/${subpath}/index\\.ts$`),
      );
    }
  });
});
