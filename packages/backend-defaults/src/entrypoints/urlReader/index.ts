export {
  type ReaderFactory,
  type UrlReaderPredicateTuple,
} from './ReaderFactory';
export type { HostLookup } from './fetch/HostLookup';
export { UrlFetchError } from './UrlFetchError';
export { UrlReaders, type UrlReadersOptions } from './UrlReaders';
export { UrlReadTooLargeError } from './UrlReadTooLargeError';
export { urlReaderFactoriesServiceRef } from './urlReaderFactoriesServiceRef';
export { urlReaderServiceFactory } from './urlReaderServiceFactory';
