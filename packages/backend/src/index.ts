/**
 * The assembled Plinth backend: the default core services plus the
 * plugins and modules this deployment installs. `yarn start` runs it.
 *
 * @packageDocumentation
 */
// First, so that a signal while the imports below load ends the process cleanly.
import { handOverSignals } from './exitOnSignalWhileLoading';
import {
  createAuthServiceFactory,
  createBackend,
  writeDevelopmentToken,
} from '@plinth/backend-defaults';

const backend = createBackend();
handOverSignals();

// With backend.auth.developmentToken on, scripts and curl can read the
// token from this git-ignored file instead of the log.
backend.add(
  createAuthServiceFactory({
    onDevelopmentToken: writeDevelopmentToken('.plinth/dev-token'),
  }),
);

backend.add(import('@plinth/plugin-catalog-backend'));
backend.add(import('@plinth/plugin-catalog-backend-module-codeowners'));
// Decides only while permission.enabled is true (app-config.production.yaml);
// development allows everything.
backend.add(import('@plinth/plugin-permission-backend'));
backend.add(import('@plinth/plugin-permission-backend-module-owners-policy'));

void backend.start();
