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
export {
  mockServices,
  type MockConfigOptions,
  type MockHttpAuthOptions,
  type MockDatabaseOptions,
  type MockDiscoveryOptions,
} from './services/mockServices';
export { mockCredentials } from './services/auth/mockCredentials';
export { MockAuthService } from './services/auth/MockAuthService';
export { MockHttpAuthService } from './services/auth/MockHttpAuthService';
export { MockUserInfoService } from './services/auth/MockUserInfoService';
export { MockSchedulerService } from './services/scheduler/MockSchedulerService';
export { MockUrlReader } from './services/urlReader/MockUrlReader';
export {
  MockLoggerService,
  type MockLogLine,
} from './services/MockLoggerService';
export {
  TestDatabases,
  type TestDatabaseId,
  type TestDatabasesOptions,
} from './database/TestDatabases';
export { TestDatabaseError } from './database/TestDatabaseError';
