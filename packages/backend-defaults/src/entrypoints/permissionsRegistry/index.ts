export { permissionsRegistryServiceFactory } from './permissionsRegistryServiceFactory';
export {
  DefaultPermissionsRegistryService,
  type DefaultPermissionsRegistryServiceOptions,
} from './DefaultPermissionsRegistryService';
