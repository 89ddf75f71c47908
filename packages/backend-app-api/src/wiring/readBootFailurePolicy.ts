import type { Config } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import { InvalidStartupPolicyError } from './errors/InvalidStartupPolicyError';
import { ServiceContractError } from './errors/ServiceContractError';
import type { BootFailureAction, BootFailurePolicy } from './BootFailurePolicy';

/** Errors a config service throws for bad config, which name key and file. */
const configErrorNames = ['InvalidConfigError', 'MissingConfigError'];

/**
 * Reads `backend.startup`: a default for plugins and for modules, and
 * overrides per plugin and per module. Every invalid value is reported.
 */
export function readBootFailurePolicy(
  config: Config | undefined,
  plugins: ReadonlyArray<{ pluginId: string; moduleIds: readonly string[] }>,
): { policy: BootFailurePolicy; problems: Error[] } {
  const problems: Error[] = [];
  let source = config;
  const read = (
    key: string,
    fallback: BootFailureAction,
  ): BootFailureAction => {
    let value: unknown;
    try {
      value = source?.getOptional(key);
    } catch (error) {
      // A config error names the key and file; anything else is a broken
      // config service, reported once rather than for every key.
      const isConfigError =
        isError(error) && configErrorNames.includes(error.name);
      problems.push(
        isConfigError
          ? error
          : ServiceContractError.configUnreadable(key, error),
      );
      if (!isConfigError) {
        source = undefined;
      }
      return fallback;
    }
    if (value === undefined) {
      return fallback;
    }
    if (value !== 'abort' && value !== 'continue') {
      problems.push(new InvalidStartupPolicyError(key, value));
      return fallback;
    }
    return value;
  };

  const pluginDefault = read(
    'backend.startup.default.onPluginBootFailure',
    'abort',
  );
  const moduleDefault = read(
    'backend.startup.default.onPluginModuleBootFailure',
    'abort',
  );
  const pluginActions = new Map<string, BootFailureAction>();
  const moduleActions = new Map<string, BootFailureAction>();
  for (const { pluginId, moduleIds } of plugins) {
    const base = `backend.startup.plugins.${pluginId}`;
    pluginActions.set(
      pluginId,
      read(`${base}.onPluginBootFailure`, pluginDefault),
    );
    for (const moduleId of moduleIds) {
      moduleActions.set(
        `${pluginId}/${moduleId}`,
        read(
          `${base}.modules.${moduleId}.onPluginModuleBootFailure`,
          moduleDefault,
        ),
      );
    }
  }
  return {
    policy: {
      forPlugin: pluginId => pluginActions.get(pluginId) ?? pluginDefault,
      forModule: (pluginId, moduleId) =>
        moduleActions.get(`${pluginId}/${moduleId}`) ?? moduleDefault,
    },
    problems,
  };
}
