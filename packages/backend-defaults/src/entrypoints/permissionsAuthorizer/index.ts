export { permissionsAuthorizerServiceFactory } from './permissionsAuthorizerServiceFactory';
