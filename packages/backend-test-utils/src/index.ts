/**
 * Test helpers for Plinth plugins and modules: start a backend in-process
 * with `startTestBackend`, and replace core services with `mockServices`.
 *
 * @packageDocumentation
 */
export {
  startTestBackend,
  type StartTestBackendOptions,
  type TestBackend,
} from './wiring/startTestBackend';
export { mockServices, type MockConfigOptions } from './services/mockServices';
export {
  MockLoggerService,
  type MockLogLine,
} from './services/MockLoggerService';
