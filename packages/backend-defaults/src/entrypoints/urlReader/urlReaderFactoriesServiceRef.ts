import {
  createServiceFactory,
  createServiceRef,
} from '@plinth/backend-plugin-api';
import type { ReaderFactory } from './ReaderFactory';

/**
 * Lets modules add readers for more URLs to `core.urlReader`: every factory
 * for this multiton ref contributes one {@link ReaderFactory}. When none is
 * installed, a default contributes no readers.
 *
 * @example
 * ```ts
 * backend.add(
 *   createServiceFactory({
 *     service: urlReaderFactoriesServiceRef,
 *     deps: {},
 *     factory: () => () => [
 *       { predicate: url => url.host === 'git.example.com', reader: gitReader },
 *     ],
 *   }),
 * );
 * ```
 * @public
 */
export const urlReaderFactoriesServiceRef = createServiceRef<ReaderFactory>({
  id: 'core.urlReader.factories',
  scope: 'plugin',
  multiton: true,
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: (): ReaderFactory => () => [],
    }),
});
