/**
 * The backend `yarn bench:catalog` measures: the default core services and
 * the catalog plugin, plus the permission backend with the owners policy
 * when `PLINTH_BENCH_PERMISSIONS` is `on`. Run as a child process with
 * `--config <file>`; the benchmark writes that file.
 */
import { dirname } from 'node:path';
import {
  createBackend,
  DefaultRootConfigService,
} from '@plinth/backend-defaults';
import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';

const policyPackage = '@plinth/plugin-permission-backend-module-owners-policy';

const backend = createBackend();
backend.add(import('@plinth/plugin-catalog-backend'));
if (process.env.PLINTH_BENCH_PERMISSIONS === 'on') {
  backend.add(import('@plinth/plugin-permission-backend'));
  backend.add(import(policyPackage));
  // Config schemas are collected from the package of the entry file, here
  // the repository root, which lists no plugin; the policy's package
  // declares `permission.ownersPolicy`, which the config sets.
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () =>
        DefaultRootConfigService.create({
          packageDir: dirname(require.resolve(`${policyPackage}/package.json`)),
        }),
    }),
  );
}
void backend.start();
