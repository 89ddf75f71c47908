import path from 'node:path';
import picomatch from 'picomatch';
import type { Config } from '@plinth/backend-plugin-api';
import type { Entity } from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import type { LocationSpec } from '@plinth/plugin-catalog-node';
import { isGlobLocation } from '../processors/isGlobLocation';

/**
 * Which locations a rule applies to: every location of `type`, or only the
 * one with exactly `target`, or only those whose target matches the glob
 * `pattern` (case-insensitively).
 *
 * @internal
 */
export interface CatalogRuleLocation {
  type: string;
  target?: string;
  pattern?: string;
}

/**
 * Kinds that may come from some locations; without `locations` the rule
 * applies to every location.
 *
 * @internal
 */
export interface CatalogRule {
  /** Kinds, compared case-insensitively. */
  allow: string[];
  locations?: CatalogRuleLocation[];
}

type LocationMatcher = (location: LocationSpec) => boolean;

interface CompiledRule {
  kinds: Set<string>;
  matchers?: LocationMatcher[];
}

const defaultRules: readonly CatalogRule[] = Object.freeze([
  { allow: ['Component', 'API', 'Location'] },
]);

function normalizeKind(kind: string): string {
  return kind.toLowerCase();
}

function compileLocation(matcher: CatalogRuleLocation): LocationMatcher {
  const { type, target, pattern } = matcher;
  if (pattern !== undefined) {
    const isMatch = picomatch(pattern, { nocase: true, dot: true });
    return location => location.type === type && isMatch(location.target);
  }
  if (target === undefined) {
    return location => location.type === type;
  }
  // The catalog checks entities against the location they originate from,
  // which is the glob itself for a config location; a file the glob
  // matches is accepted too.
  if (isGlobLocation({ type, target })) {
    const isMatch = picomatch(target, { dot: true });
    return location =>
      location.type === type &&
      (location.target === target || isMatch(location.target));
  }
  return location => location.type === type && location.target === target;
}

function compileRule(rule: CatalogRule): CompiledRule {
  return {
    kinds: new Set(rule.allow.map(normalizeKind)),
    matchers: rule.locations?.map(compileLocation),
  };
}

/** Config file targets are relative to the working directory, as when read. */
function resolveTarget(type: string, target: string): string {
  return type === 'file' ? path.resolve(target) : target;
}

function readRuleLocations(
  config: Config,
  key: string,
): CatalogRuleLocation[] | undefined {
  return config.getOptionalConfigArray('locations')?.map((location, index) => {
    const type = location.getString('type');
    const target = location.getOptionalString('target');
    const pattern = location.getOptionalString('pattern');
    if (target !== undefined && pattern !== undefined) {
      throw new InputError(
        `Invalid config at '${key}.locations[${index}]': a rule location may have 'target' or 'pattern', not both. Keep 'target' to match one location exactly, or 'pattern' to match a glob.`,
      );
    }
    return {
      type,
      ...(target === undefined ? {} : { target: resolveTarget(type, target) }),
      ...(pattern === undefined ? {} : { pattern }),
    };
  });
}

function readGlobalRules(config: Config): CatalogRule[] {
  const rules = config.getOptionalConfigArray('catalog.rules');
  if (!rules) {
    return defaultRules.map(rule => ({ ...rule }));
  }
  return rules.map((rule, index) => {
    const key = `catalog.rules[${index}]`;
    const locations = readRuleLocations(rule, key);
    return {
      allow: rule.getStringArray('allow'),
      ...(locations ? { locations } : {}),
    };
  });
}

function readLocationRules(config: Config): CatalogRule[] {
  const locations = config.getOptionalConfigArray('catalog.locations') ?? [];
  return locations.flatMap((location, index) => {
    const rules = location.getOptionalConfigArray('rules');
    if (!rules) {
      return [];
    }
    const type = location.getString('type');
    const target = resolveTarget(type, location.getString('target'));
    return rules.map((rule, ruleIndex) => {
      if (rule.has('locations')) {
        throw new InputError(
          `Invalid config at 'catalog.locations[${index}].rules[${ruleIndex}].locations': the rules of a location always apply to that location only. Remove 'locations', or move the rule to 'catalog.rules'.`,
        );
      }
      return {
        allow: rule.getStringArray('allow'),
        locations: [{ type, target }],
      };
    });
  });
}

/**
 * Enforces `catalog.rules` plus the `rules` of each `catalog.locations`
 * entry: an entity is allowed when some rule that applies to its location
 * lists its kind.
 *
 * @remarks
 * Without `catalog.rules`, Component, API and Location entities are
 * allowed from anywhere. The `rules` of a config location are added to
 * the global ones for the files that location reads.
 *
 * @internal
 */
export class DefaultCatalogRulesEnforcer implements CatalogRulesEnforcer {
  /** The rules used when `catalog.rules` is not configured. */
  static readonly defaultRules = defaultRules;

  readonly #rules: readonly CompiledRule[];

  /**
   * Reads `catalog.rules` and `catalog.locations[].rules`.
   *
   * @throws InputError when a rule location has both `target` and
   *   `pattern`, or a location's rule has `locations`.
   */
  static fromConfig(config: Config): DefaultCatalogRulesEnforcer {
    return new DefaultCatalogRulesEnforcer([
      ...readGlobalRules(config),
      ...readLocationRules(config),
    ]);
  }

  constructor(rules: readonly CatalogRule[]) {
    this.#rules = rules.map(compileRule);
  }

  isAllowed(entity: Entity, location: LocationSpec): boolean {
    const kind = normalizeKind(entity.kind);
    return this.#rules.some(
      rule =>
        rule.kinds.has(kind) &&
        (!rule.matchers || rule.matchers.some(matches => matches(location))),
    );
  }
}

/**
 * Decides whether an entity read from a location may enter the catalog,
 * following `catalog.rules` and the `rules` of `catalog.locations` entries.
 *
 * @internal
 */
export interface CatalogRulesEnforcer {
  /** Whether `entity`, read from `location`, is allowed by any rule. */
  isAllowed(entity: Entity, location: LocationSpec): boolean;
}
