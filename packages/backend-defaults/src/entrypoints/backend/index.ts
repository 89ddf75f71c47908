export { createBackend, defaultServiceFactories } from './createBackend';
