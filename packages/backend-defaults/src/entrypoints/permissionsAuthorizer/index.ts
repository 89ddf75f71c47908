export { permissionsAuthorizerServiceFactory } from './permissionsAuthorizerServiceFactory';
export {
  DefaultRootPermissionsAuthorizerService,
  type DefaultRootPermissionsAuthorizerServiceOptions,
} from './DefaultRootPermissionsAuthorizerService';
