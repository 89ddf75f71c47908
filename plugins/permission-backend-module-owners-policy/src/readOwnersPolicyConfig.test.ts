import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { InputError } from '@plinth/errors';
import { readOwnersPolicyConfig } from './readOwnersPolicyConfig';

function read(ownersPolicy: JsonObject) {
  return readOwnersPolicyConfig(
    mockServices.rootConfig({ data: { permission: { ownersPolicy } } }),
  );
}

describe('readOwnersPolicyConfig', () => {
  it('gives every option its default when nothing is configured', () => {
    expect(readOwnersPolicyConfig(mockServices.rootConfig())).toEqual({
      adminGroups: [],
      read: 'everyone',
      visibleKinds: ['User', 'Group'],
      create: 'everyone',
      allow: [],
    });
  });

  it('reads every key of permission.ownersPolicy', () => {
    expect(
      read({
        adminGroups: ['group:default/admins'],
        read: 'owners',
        visibleKinds: ['Group'],
        create: 'admins',
        allow: ['scaffolder.task.create'],
      }),
    ).toEqual({
      adminGroups: ['group:default/admins'],
      read: 'owners',
      visibleKinds: ['Group'],
      create: 'admins',
      allow: ['scaffolder.task.create'],
    });
  });

  it('rejects an admin group that is not a full entity ref', () => {
    expect(() =>
      read({ adminGroups: ['group:default/admins', 'admins'] }),
    ).toThrow(
      new InputError(
        "Invalid config at 'permission.ownersPolicy.adminGroups[1]': 'admins' is not a full entity ref. Ownership refs in user tokens always name kind, namespace and name, so a shorter ref never matches; write it as 'group:default/admins'.",
      ),
    );
  });

  it('rejects an unknown read choice', () => {
    expect(() => read({ read: 'nobody' })).toThrow(
      new InputError(
        "Invalid config at 'permission.ownersPolicy.read': expected 'everyone' or 'owners', got 'nobody'. Set one of them, or remove the key for 'everyone'.",
      ),
    );
  });

  it('rejects an unknown create choice', () => {
    expect(() => read({ create: 'owners' })).toThrow(
      new InputError(
        "Invalid config at 'permission.ownersPolicy.create': expected 'everyone' or 'admins', got 'owners'. Set one of them, or remove the key for 'everyone'.",
      ),
    );
  });
});
