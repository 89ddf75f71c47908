/**
 * The assembled Plinth backend: the default core services plus the
 * plugins and modules this deployment installs. `yarn start` runs it.
 *
 * @packageDocumentation
 */
import { createBackend } from '@plinth/backend-defaults';

const backend = createBackend();

void backend.start();
