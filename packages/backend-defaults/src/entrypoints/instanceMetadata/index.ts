export { instanceMetadataServiceFactory } from './instanceMetadataServiceFactory';
