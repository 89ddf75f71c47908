import { InputError } from '@plinth/errors';
import { assertValidId, describeIdRule, isValidId } from './identity';

describe('isValidId', () => {
  it.each([['catalog'], ['my-plugin'], ['a1-b2'], ['Catalog']])(
    "accepts the plugin id '%s'",
    id => {
      expect(isValidId('plugin id', id)).toBe(true);
    },
  );

  it.each([
    ['a--b'],
    ['a-'],
    ['-a'],
    ['1a'],
    [''],
    ['my_plugin'],
    ['../admin'],
    ['catalog.processing'],
  ])("refuses the plugin id '%s'", id => {
    expect(isValidId('plugin id', id)).toBe(false);
  });

  it('refuses a value that is not a string', () => {
    expect(isValidId('plugin id', 42)).toBe(false);
    expect(isValidId('plugin id', undefined)).toBe(false);
  });

  it('accepts dotted service ref and extension point ids only', () => {
    expect(isValidId('service ref id', 'core.root-config')).toBe(true);
    expect(isValidId('extension point id', 'catalog.processing')).toBe(true);
    expect(isValidId('extension point id', 'catalog..processing')).toBe(false);
    expect(isValidId('module id', 'github.provider')).toBe(false);
  });
});

describe('describeIdRule', () => {
  it('describes the plugin and module id rule', () => {
    expect(describeIdRule('module id')).toBe(
      "letters, digits and single dashes, starting with a letter, such as 'my-plugin'",
    );
  });

  it('describes the dotted id rule', () => {
    expect(describeIdRule('service ref id')).toBe(
      "dot-separated words of letters, digits and single dashes, each starting with a letter, such as 'example.processing'",
    );
  });
});

describe('assertValidId', () => {
  it('accepts a valid id', () => {
    expect(() =>
      assertValidId('createBackendPlugin', 'plugin id', 'catalog'),
    ).not.toThrow();
  });

  it('rejects an id that is not a string', () => {
    expect(() => assertValidId('createBackendPlugin', 'plugin id', 42)).toThrow(
      new InputError(
        'createBackendPlugin() needs a plugin id string, got number 42.',
      ),
    );
  });

  it('rejects an id that breaks the rule, naming the rule', () => {
    expect(() =>
      assertValidId('createExtensionPoint', 'extension point id', 'a--b'),
    ).toThrow(
      new InputError(
        "createExtensionPoint() got an invalid extension point id 'a--b': use dot-separated words of letters, digits and single dashes, each starting with a letter, such as 'example.processing'.",
      ),
    );
  });
});
