import { createPermission } from './permission';
import { decideByAccessRestrictions } from './accessRestrictions';

const read = createPermission({
  name: 'todo.item.read',
  attributes: { action: 'read' },
});
const archive = createPermission({ name: 'todo.item.archive', attributes: {} });

describe('decideByAccessRestrictions', () => {
  it('allows a principal without restrictions', () => {
    expect(decideByAccessRestrictions(read, undefined)).toEqual({
      result: 'ALLOW',
    });
  });

  it('allows a permission the names list and denies one it leaves out', () => {
    const restrictions = { permissionNames: ['todo.item.read'] };
    expect(decideByAccessRestrictions(read, restrictions)).toEqual({
      result: 'ALLOW',
    });
    expect(decideByAccessRestrictions(archive, restrictions)).toEqual({
      result: 'DENY',
    });
  });

  it('denies an action the restrictions leave out, and a permission without an action', () => {
    const restrictions = {
      permissionAttributes: { action: ['create' as const] },
    };
    expect(decideByAccessRestrictions(read, restrictions)).toEqual({
      result: 'DENY',
    });
    expect(decideByAccessRestrictions(archive, restrictions)).toEqual({
      result: 'DENY',
    });
    expect(
      decideByAccessRestrictions(read, {
        permissionAttributes: { action: ['read'] },
      }),
    ).toEqual({ result: 'ALLOW' });
  });
});
