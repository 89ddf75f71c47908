export {
  DefaultActionsRegistryService,
  type DefaultActionsRegistryServiceOptions,
} from './DefaultActionsRegistryService';
export {
  DefaultActionsService,
  type DefaultActionsServiceOptions,
} from './DefaultActionsService';
export { actionsRegistryServiceFactory } from './actionsRegistryServiceFactory';
export { actionsServiceFactory } from './actionsServiceFactory';
export { createActionsRouter } from './createActionsRouter';
