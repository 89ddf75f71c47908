/**
 * A permission module that installs the owners policy: signed-in users
 * read, owners change the catalog entities they own, an admin group may do
 * everything. Backends add it next to the permission backend; a policy of
 * your own can start from a copy of it.
 *
 * @packageDocumentation
 */
export { permissionModuleOwnersPolicy as default } from './module';
export { OwnersPolicy } from './OwnersPolicy';
export {
  readOwnersPolicyConfig,
  type OwnersPolicyOptions,
} from './readOwnersPolicyConfig';
