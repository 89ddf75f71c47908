import { checkId, isValidEngineId } from './newTemplates';

describe('checkId', () => {
  it.each(['todo', 'my-plugin', 'a1', 'x-2-y', 'a'.repeat(40)])(
    'accepts %s',
    id => {
      expect(checkId('pluginId', id)).toBeUndefined();
    },
  );

  it.each([
    [
      'pluginId',
      '',
      "The plugin id is empty: use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.",
    ],
    [
      'pluginId',
      'my_plugin',
      "Invalid plugin id 'my_plugin': use letters, digits and single dashes, starting with a letter, such as 'my-plugin'.",
    ],
    [
      'moduleId',
      '-x',
      "Invalid module id '-x': use letters, digits and single dashes, starting with a letter, such as 'my-module'.",
    ],
    [
      'moduleId',
      'a--b',
      "Invalid module id 'a--b': use letters, digits and single dashes, starting with a letter, such as 'my-module'.",
    ],
    [
      'pluginId',
      'MyPlugin',
      "Invalid plugin id 'MyPlugin': it becomes part of a package name, and package names are lowercase; use 'my-plugin'.",
    ],
    [
      'pluginId',
      'HTTPProxy',
      "Invalid plugin id 'HTTPProxy': it becomes part of a package name, and package names are lowercase; use 'http-proxy'.",
    ],
    [
      'pluginId',
      'a'.repeat(41),
      `Invalid plugin id '${'a'.repeat(41)}': it has 41 characters, and at most 40 fit into the database table names derived from it; use a shorter id.`,
    ],
  ] as const)('rejects %s %j', (option, id, message) => {
    expect(checkId(option, id)).toBe(message);
  });
});

describe('isValidEngineId', () => {
  it('accepts mixed case, as the engine does', () => {
    expect(isValidEngineId('MyPlugin')).toBe(true);
    expect(isValidEngineId('my plugin')).toBe(false);
  });
});
