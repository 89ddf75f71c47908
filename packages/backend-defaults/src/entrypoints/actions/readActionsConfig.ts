import type { RootConfigService } from '@plinth/backend-plugin-api';
import picomatch from 'picomatch';

/** The attributes every listed action has, each a boolean. */
export type ActionAttributes = {
  readOnly: boolean;
  destructive: boolean;
  idempotent: boolean;
};

const attributeKeys: ReadonlyArray<keyof ActionAttributes> = [
  'destructive',
  'readOnly',
  'idempotent',
];

/**
 * `backend.actions` as both actions services read it: which plugins offer
 * actions, and which actions the filter lets through.
 */
export interface ActionsConfig {
  /**
   * The plugins whose actions callers may list and invoke;
   * `undefined` when the key is not set.
   */
  pluginSources: readonly string[] | undefined;
  /**
   * Whether the `include` and `exclude` rules of `backend.actions.filter`
   * let an action through: an action matching an exclude rule is hidden,
   * and when there are include rules, one must match.
   */
  isAllowed(action: { id: string; attributes: ActionAttributes }): boolean;
}

/** A filter rule: an id glob and attribute values, each optional, all must match. */
type FilterRule = {
  matchesId?: (id: string) => boolean;
  attributes: Partial<ActionAttributes>;
};

/**
 * Reads `backend.actions.pluginSources` and `backend.actions.filter` once;
 * the config schema has already checked their types.
 */
export function readActionsConfig(config: RootConfigService): ActionsConfig {
  const pluginSources = config.getOptionalStringArray(
    'backend.actions.pluginSources',
  );
  const filter = config.getOptionalConfig('backend.actions.filter');
  const include = readRules(filter?.getOptionalConfigArray('include'));
  const exclude = readRules(filter?.getOptionalConfigArray('exclude'));
  return {
    pluginSources,
    isAllowed: action => {
      if (exclude.some(rule => matches(rule, action))) {
        return false;
      }
      return (
        include.length === 0 || include.some(rule => matches(rule, action))
      );
    },
  };
}

/** The three attributes with Backstage's defaults filled in. */
export function toActionAttributes(attributes?: {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
}): ActionAttributes {
  const readOnly = attributes?.readOnly ?? false;
  return {
    readOnly,
    // An action that only reads destroys nothing unless it says so.
    destructive: attributes?.destructive ?? !readOnly,
    idempotent: attributes?.idempotent ?? false,
  };
}

function readRules(
  rules: ReturnType<RootConfigService['getConfigArray']> | undefined,
): FilterRule[] {
  return (rules ?? []).map(rule => {
    const id = rule.getOptionalString('id');
    const attributesConfig = rule.getOptionalConfig('attributes');
    const attributes: Partial<ActionAttributes> = {};
    for (const key of attributeKeys) {
      const value = attributesConfig?.getOptionalBoolean(key);
      if (value !== undefined) {
        attributes[key] = value;
      }
    }
    return {
      matchesId: id === undefined ? undefined : picomatch(id),
      attributes,
    };
  });
}

function matches(
  rule: FilterRule,
  action: { id: string; attributes: ActionAttributes },
): boolean {
  if (rule.matchesId && !rule.matchesId(action.id)) {
    return false;
  }
  return attributeKeys.every(
    key =>
      rule.attributes[key] === undefined ||
      rule.attributes[key] === action.attributes[key],
  );
}
