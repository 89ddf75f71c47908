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
} from './startTestBackend';
export {
  mockServices,
  type MockConfigOptions,
  type MockHttpAuthOptions,
  type MockDatabaseOptions,
  type MockDiscoveryOptions,
  type MockPermissionsOptions,
} from './services/mockServices';
export { MockAuditorService } from './services/MockAuditorService';
export { MockPermissionsService } from './services/MockPermissionsService';
export {
  mockCredentials,
  MockUserInfoService,
} from './services/mockCredentials';
export {
  MockAuthService,
  MockHttpAuthService,
} from './services/MockAuthService';
export { MockSchedulerService } from './services/MockSchedulerService';
export { MockUrlReader } from './services/MockUrlReader';
export {
  MockLoggerService,
  type MockLogLine,
} from './services/MockLoggerService';
export {
  TestDatabases,
  type TestDatabaseId,
  type TestDatabasesOptions,
} from './TestDatabases';
export { TestDatabaseError, type TestDatabaseErrorCode } from './errors';
