/**
 * The backend `yarn bench:catalog` measures: the default core services and
 * the catalog plugin, plus the permission backend with the owners policy
 * when `PLINTH_BENCH_PERMISSIONS` is `on`. Run as a child process with
 * `--config <file>`; the benchmark writes that file.
 */
import { createBackend } from '@plinth/backend-defaults';

const backend = createBackend();
backend.add(import('@plinth/plugin-catalog-backend'));
if (process.env.PLINTH_BENCH_PERMISSIONS === 'on') {
  backend.add(import('@plinth/plugin-permission-backend'));
  backend.add(import('@plinth/plugin-permission-backend-module-owners-policy'));
}
void backend.start();
