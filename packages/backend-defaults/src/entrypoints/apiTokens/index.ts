export { apiTokensServiceFactory } from './apiTokensServiceFactory';
export {
  API_TOKEN_CACHE_MS,
  API_TOKEN_PREFIX,
  DefaultApiTokensService,
  type DefaultApiTokensServiceOptions,
} from './DefaultApiTokensService';
export { ApiTokensStore, type StoredApiToken } from './ApiTokensStore';
