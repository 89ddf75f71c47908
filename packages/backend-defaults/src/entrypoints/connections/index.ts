export { connectionsServiceFactory } from './connectionsServiceFactory';
export {
  DefaultConnectionsService,
  type DefaultConnectionsServiceOptions,
} from './DefaultConnectionsService';
