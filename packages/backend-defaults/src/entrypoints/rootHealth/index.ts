export {
  DefaultRootHealthService,
  rootHealthServiceFactory,
} from './rootHealthServiceFactory';
