/**
 * The backend `yarn bench:catalog` measures: the default core services and
 * the catalog plugin, nothing else. Run as a child process with
 * `--config <file>`; the benchmark writes that file.
 */
import { createBackend } from '@plinth/backend-defaults';

const backend = createBackend();
backend.add(import('@plinth/plugin-catalog-backend'));
void backend.start();
