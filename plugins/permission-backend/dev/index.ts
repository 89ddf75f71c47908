/**
 * Runs the permission plugin alone on the default core services and the
 * repository's app-config.yaml, for trying `POST /api/permission/authorize`
 * with curl. No policy module is added: with `permission.enabled: false`
 * (app-config.yaml) every request is allowed.
 *
 * `yarn workspace @plinth/plugin-permission-backend start`
 */
import { createBackend } from '@plinth/backend-defaults';

const backend = createBackend();
backend.add(import('../src'));
void backend.start();
