import { policyExtensionPoint } from './alpha';

describe('policyExtensionPoint', () => {
  it("has Backstage's id", () => {
    expect(policyExtensionPoint.id).toBe('permission.policy');
  });
});
