import { toOwnerRef } from './toOwnerRef';

const none = new Map<string, string>();

describe('toOwnerRef', () => {
  it('turns a team handle into the group of that name', () => {
    expect(toOwnerRef('@acme/team-a', none)).toBe('team-a');
  });

  it('turns a user handle and an email address into a user ref', () => {
    expect(toOwnerRef('@jane', none)).toBe('user:jane');
    expect(toOwnerRef('jane.doe@acme.com', none)).toBe('user:jane.doe');
  });

  it('prefers a configured mapping, comparing handles case-insensitively', () => {
    const mappings = new Map([['@acme/team-a', 'group:platform/team-alpha']]);
    expect(toOwnerRef('@ACME/Team-A', mappings)).toBe(
      'group:platform/team-alpha',
    );
  });

  it('knows no owner for a handle of another form', () => {
    expect(toOwnerRef('team-a', none)).toBeUndefined();
    expect(toOwnerRef('@a/b/c', none)).toBeUndefined();
  });
});
