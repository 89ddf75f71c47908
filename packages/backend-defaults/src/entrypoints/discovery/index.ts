export { HostDiscovery } from './HostDiscovery';
export { discoveryServiceFactory } from './discoveryServiceFactory';
export { DiscoveryConfigError } from './DiscoveryConfigError';
