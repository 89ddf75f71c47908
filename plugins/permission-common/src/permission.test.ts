import { InputError } from '@plinth/errors';
import {
  createPermission,
  isCreatePermission,
  isDeletePermission,
  isPermission,
  isReadPermission,
  isResourcePermission,
  isUpdatePermission,
} from './permission';

const entityRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const locationCreate = createPermission({
  name: 'catalog.location.create',
  attributes: { action: 'create' },
});

describe('createPermission', () => {
  it('creates a resource permission when a resource type is given', () => {
    expect(entityRead).toEqual({
      type: 'resource',
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
  });

  it('creates a basic permission without a resource type', () => {
    expect(locationCreate).toEqual({
      type: 'basic',
      name: 'catalog.location.create',
      attributes: { action: 'create' },
    });
  });

  it('rejects an empty name', () => {
    expect(() => createPermission({ name: ' ', attributes: {} })).toThrow(
      new InputError(
        `createPermission() needs a non-empty name, got the string ' '; use a dotted name such as 'catalog.entity.read'.`,
      ),
    );
  });

  it('rejects an unknown action', () => {
    expect(() =>
      createPermission({
        name: 'todo.item.archive',
        attributes: { action: 'archive' as 'read' },
      }),
    ).toThrow(
      new InputError(
        `createPermission() got the action attribute the string 'archive' for permission 'todo.item.archive'; use 'create', 'read', 'update' or 'delete', or leave it out.`,
      ),
    );
  });
});

describe('isPermission', () => {
  it('matches permissions by name', () => {
    expect(isPermission({ ...entityRead }, entityRead)).toBe(true);
    expect(isPermission(locationCreate, entityRead)).toBe(false);
  });
});

describe('isResourcePermission', () => {
  it('tells resource permissions apart, by resource type when given', () => {
    expect(isResourcePermission(entityRead)).toBe(true);
    expect(isResourcePermission(entityRead, 'catalog-entity')).toBe(true);
    expect(isResourcePermission(entityRead, 'todo-item')).toBe(false);
    expect(isResourcePermission(locationCreate)).toBe(false);
  });
});

describe('the action checks', () => {
  it('read the action attribute', () => {
    const permission = (action?: 'create' | 'read' | 'update' | 'delete') =>
      createPermission({ name: 'x', attributes: { action } });
    expect(isCreatePermission(permission('create'))).toBe(true);
    expect(isReadPermission(permission('read'))).toBe(true);
    expect(isUpdatePermission(permission('update'))).toBe(true);
    expect(isDeletePermission(permission('delete'))).toBe(true);
    expect(isDeletePermission(permission())).toBe(false);
  });
});
