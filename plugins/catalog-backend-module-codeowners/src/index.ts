/**
 * A catalog module that fills the missing `spec.owner` of entities from the
 * CODEOWNERS file of the repository or folder they come from.
 *
 * @packageDocumentation
 */
export { catalogModuleCodeOwners as default } from './module';
export {
  CodeOwnersProcessor,
  type CodeOwnersProcessorOptions,
} from './CodeOwnersProcessor';
export {
  findCodeOwnersRule,
  parseCodeOwners,
  toOwnerRef,
  type CodeOwnersRule,
} from './parseCodeOwners';
