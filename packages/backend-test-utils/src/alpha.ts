/**
 * Test helpers for the alpha core services, matching
 * `@backstage/backend-test-utils/alpha`.
 *
 * @packageDocumentation
 */
export { MockActionsRegistry } from './alpha/MockActionsRegistry';
export {
  actionsRegistryServiceMock,
  actionsServiceMock,
} from './alpha/actionsServiceMocks';
