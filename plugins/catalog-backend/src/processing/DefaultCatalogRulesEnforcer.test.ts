import path from 'node:path';
import { mockServices } from '@plinth/backend-test-utils';
import type { Entity, JsonObject } from '@plinth/catalog-model';
import { DefaultCatalogRulesEnforcer } from './DefaultCatalogRulesEnforcer';

function entityOfKind(kind: string): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name: 'x' } };
}

function enforcerFor(catalog: JsonObject): DefaultCatalogRulesEnforcer {
  return DefaultCatalogRulesEnforcer.fromConfig(
    mockServices.rootConfig({ data: { catalog } }),
  );
}

const anywhere = { type: 'url', target: 'https://git.example.com/a.yaml' };

describe('DefaultCatalogRulesEnforcer', () => {
  it('allows Component, API and Location from anywhere when catalog.rules is not configured', () => {
    const enforcer = enforcerFor({});
    expect(enforcer.isAllowed(entityOfKind('Component'), anywhere)).toBe(true);
    expect(enforcer.isAllowed(entityOfKind('API'), anywhere)).toBe(true);
    expect(enforcer.isAllowed(entityOfKind('Location'), anywhere)).toBe(true);
    expect(enforcer.isAllowed(entityOfKind('Group'), anywhere)).toBe(false);
  });

  it('compares kinds case-insensitively', () => {
    const enforcer = enforcerFor({ rules: [{ allow: ['group'] }] });
    expect(enforcer.isAllowed(entityOfKind('Group'), anywhere)).toBe(true);
    expect(enforcer.isAllowed(entityOfKind('GROUP'), anywhere)).toBe(true);
  });

  it('replaces the default rules with catalog.rules', () => {
    const enforcer = enforcerFor({ rules: [{ allow: ['User'] }] });
    expect(enforcer.isAllowed(entityOfKind('User'), anywhere)).toBe(true);
    expect(enforcer.isAllowed(entityOfKind('Component'), anywhere)).toBe(false);
  });

  it('allows nothing when catalog.rules is an empty list', () => {
    const enforcer = enforcerFor({ rules: [] });
    expect(enforcer.isAllowed(entityOfKind('Component'), anywhere)).toBe(false);
  });

  it('applies a rule with a location type only to locations of that type', () => {
    const enforcer = enforcerFor({
      rules: [{ allow: ['Group'], locations: [{ type: 'file' }] }],
    });
    expect(
      enforcer.isAllowed(entityOfKind('Group'), {
        type: 'file',
        target: '/org/groups.yaml',
      }),
    ).toBe(true);
    expect(enforcer.isAllowed(entityOfKind('Group'), anywhere)).toBe(false);
  });

  it('applies a rule with a target only to that exact location', () => {
    const target = 'https://git.example.com/org.yaml';
    const enforcer = enforcerFor({
      rules: [{ allow: ['Group'], locations: [{ type: 'url', target }] }],
    });
    expect(
      enforcer.isAllowed(entityOfKind('Group'), { type: 'url', target }),
    ).toBe(true);
    expect(
      enforcer.isAllowed(entityOfKind('Group'), {
        type: 'url',
        target: `${target}.bak`,
      }),
    ).toBe(false);
  });

  it('resolves a file target of a rule against the working directory', () => {
    const enforcer = enforcerFor({
      rules: [
        { allow: ['Group'], locations: [{ type: 'file', target: 'org.yaml' }] },
      ],
    });
    expect(
      enforcer.isAllowed(entityOfKind('Group'), {
        type: 'file',
        target: path.resolve('org.yaml'),
      }),
    ).toBe(true);
  });

  it('matches a rule pattern as a case-insensitive glob', () => {
    const enforcer = enforcerFor({
      rules: [
        {
          allow: ['System'],
          locations: [
            {
              type: 'url',
              pattern:
                'https://git.example.com/platform/*/blob/*/catalog-info.yaml',
            },
          ],
        },
      ],
    });
    expect(
      enforcer.isAllowed(entityOfKind('System'), {
        type: 'url',
        target:
          'https://git.example.com/Platform/api/blob/main/catalog-info.yaml',
      }),
    ).toBe(true);
    expect(
      enforcer.isAllowed(entityOfKind('System'), {
        type: 'url',
        target: 'https://git.example.com/other/api/blob/main/catalog-info.yaml',
      }),
    ).toBe(false);
  });

  it('adds the rules of a config location for the files it reads', () => {
    const enforcer = enforcerFor({
      locations: [
        {
          type: 'file',
          target: 'examples/org.yaml',
          rules: [{ allow: ['User', 'Group'] }],
        },
      ],
    });
    const orgFile = { type: 'file', target: path.resolve('examples/org.yaml') };
    expect(enforcer.isAllowed(entityOfKind('User'), orgFile)).toBe(true);
    expect(enforcer.isAllowed(entityOfKind('Component'), orgFile)).toBe(true);
    expect(
      enforcer.isAllowed(entityOfKind('User'), {
        type: 'file',
        target: path.resolve('examples/other.yaml'),
      }),
    ).toBe(false);
  });

  it('applies the rules of a config location with a glob target to it and to each file it matches', () => {
    const enforcer = enforcerFor({
      locations: [
        {
          type: 'url',
          target: 'https://git.example.com/org/blob/main/teams/*.yaml',
          rules: [{ allow: ['Group'] }],
        },
      ],
    });
    expect(
      enforcer.isAllowed(entityOfKind('Group'), {
        type: 'url',
        target: 'https://git.example.com/org/blob/main/teams/*.yaml',
      }),
    ).toBe(true);
    expect(
      enforcer.isAllowed(entityOfKind('Group'), {
        type: 'url',
        target: 'https://git.example.com/org/blob/main/teams/a.yaml',
      }),
    ).toBe(true);
    expect(
      enforcer.isAllowed(entityOfKind('Group'), {
        type: 'url',
        target: 'https://git.example.com/org/blob/main/a.yaml',
      }),
    ).toBe(false);
  });

  it('rejects a rule location that has both a target and a pattern', () => {
    expect(() =>
      enforcerFor({
        rules: [
          { allow: ['Group'] },
          {
            allow: ['User'],
            locations: [
              { type: 'url' },
              {
                type: 'url',
                target: 'https://a/b.yaml',
                pattern: 'https://a/*',
              },
            ],
          },
        ],
      }),
    ).toThrow(
      "Invalid config at 'catalog.rules[1].locations[1]': a rule location may have 'target' or 'pattern', not both. Keep 'target' to match one location exactly, or 'pattern' to match a glob.",
    );
  });

  it('rejects locations in the rules of a config location', () => {
    expect(() =>
      enforcerFor({
        locations: [
          {
            type: 'url',
            target: 'https://a/b.yaml',
            rules: [{ allow: ['User'], locations: [{ type: 'url' }] }],
          },
        ],
      }),
    ).toThrow(
      "Invalid config at 'catalog.locations[0].rules[0].locations': the rules of a location always apply to that location only. Remove 'locations', or move the rule to 'catalog.rules'.",
    );
  });

  it('takes rules given directly to the constructor', () => {
    const enforcer = new DefaultCatalogRulesEnforcer([
      { allow: ['Resource'], locations: [{ type: 'url' }] },
    ]);
    expect(enforcer.isAllowed(entityOfKind('Resource'), anywhere)).toBe(true);
    expect(enforcer.isAllowed(entityOfKind('Component'), anywhere)).toBe(false);
  });
});
