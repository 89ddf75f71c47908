export type { HostLookup } from './fetch/resolveAllowedAddress';
export {
  RuntimeServiceError,
  type RuntimeServiceErrorCode,
  UrlFetchError,
} from '../../errors';
export {
  UrlReaders,
  type UrlReaderPredicateTuple,
  type UrlReadersOptions,
} from './UrlReaders';
export {
  type ReaderFactory,
  urlReaderFactoriesServiceRef,
  urlReaderServiceFactory,
} from './urlReaderServiceFactory';
