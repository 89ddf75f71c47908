export { HostDiscovery } from './HostDiscovery';
export { discoveryServiceFactory } from './discoveryServiceFactory';
