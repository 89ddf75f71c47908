import type {
  LoggerService,
  RootConfigService,
  UrlReaderService,
} from '@plinth/backend-plugin-api';

/**
 * A reader and the URLs it serves; {@link UrlReaders} asks these before its
 * built-in file and http(s) readers.
 *
 * @public
 */
export interface UrlReaderPredicateTuple {
  /** Whether `reader` serves this URL. */
  predicate(url: URL): boolean;
  reader: UrlReaderService;
}

/**
 * Makes the readers that a module adds, such as one for a code host's API;
 * provided through {@link urlReaderFactoriesServiceRef}.
 *
 * @public
 */
export type ReaderFactory = (options: {
  config: RootConfigService;
  logger: LoggerService;
}) => UrlReaderPredicateTuple[];
