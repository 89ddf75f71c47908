export { permissionsServiceFactory } from './permissionsServiceFactory';
export {
  DefaultPermissionsService,
  type DefaultPermissionsServiceOptions,
} from './DefaultPermissionsService';
