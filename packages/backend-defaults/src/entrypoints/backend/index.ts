export { createBackend } from './createBackend';
export { defaultServiceFactories } from './defaultServiceFactories';
