import type {
  Config,
  ExtensionPointFactoryContext,
  LoggerService,
  ServiceRef,
} from '@plinth/backend-plugin-api';
import {
  isExtensionPoint,
  isServiceRef,
} from '@plinth/backend-plugin-api/internal';
import {
  connectionsServiceRef,
  type ConnectionsService,
} from '@plinth/backend-plugin-api/alpha';
import { isError, quoteList, toError } from '@plinth/errors';
import { LifecycleError, WiringError } from '../errors';
import type { FeatureRegistration } from './collectFeatures';
import { DependencyGraph } from './DependencyGraph';
import { runWithProgress } from './runLifecycle';
import type { ServiceRegistry } from './ServiceRegistry';
import { withDeclaredConnections } from './withDeclaredConnections';
import type {
  PluginUnit,
  ProvidedExtensionPoint,
  ValidatedBackend,
} from './validateFeatures';

/**
 * What happens when a plugin or module fails to start: `abort` fails the
 * whole start, `continue` logs the failure and starts the rest.
 *
 * @public
 */
export type BootFailureAction = 'abort' | 'continue';

/**
 * The boot failure policy for each plugin and module.
 */
export interface BootFailurePolicy {
  forPlugin(pluginId: string): BootFailureAction;
  forModule(pluginId: string, moduleId: string): BootFailureAction;
}

/**
 * Initialises every plugin concurrently, naming the plugins still
 * initialising at each progress interval.
 *
 * @returns the ids of the plugins that started.
 */
export async function initPlugins(options: {
  backend: ValidatedBackend;
  registry: ServiceRegistry;
  failures: BootFailureRecorder;
  logger: LoggerService;
  progressIntervalMs: number;
  /** Gets the seconds each plugin that started took, by plugin id. */
  initDurations: Map<string, number>;
}): Promise<string[]> {
  const { backend, registry, failures, logger, initDurations } = options;
  logger.info(
    `Initializing plugins: ${quoteList(backend.units.map(u => u.pluginId)) || 'none'}.`,
  );
  const results = await runWithProgress({
    items: backend.units,
    run: async (unit: PluginUnit) => {
      const startedAt = performance.now();
      const ok = await initPlugin({
        unit,
        registry,
        extensionPoints: backend.extensionPoints,
        failures,
      });
      if (ok) {
        initDurations.set(
          unit.pluginId,
          (performance.now() - startedAt) / 1000,
        );
      }
      return { pluginId: unit.pluginId, ok };
    },
    describe: (seconds, pending) =>
      `Still initializing after ${seconds}s: ${pending.length === 1 ? 'plugin' : 'plugins'} ${quoteList(pending.map(u => u.pluginId))}. A plugin that stays in this list is waiting on something in its init or in a service it uses.`,
    logger,
    intervalMs: options.progressIntervalMs,
  });
  return results.filter(r => r.ok).map(r => r.pluginId);
}

/**
 * Initialises one plugin: its eager services, then its modules in
 * extension point order (independent modules concurrently), then the
 * plugin itself. Failures go to the recorder, which applies the boot
 * failure policy; a module failure that aborts skips the plugin's init.
 *
 * @returns whether the plugin started.
 */
async function initPlugin(options: {
  unit: PluginUnit;
  registry: ServiceRegistry;
  extensionPoints: ReadonlyMap<string, ProvidedExtensionPoint>;
  failures: BootFailureRecorder;
}): Promise<boolean> {
  const { unit, registry, extensionPoints, failures } = options;
  const { pluginId } = unit;
  let aborted = false;
  const fail = (feature: FeatureRegistration, cause: unknown) => {
    if (failures.report(feature, cause) === 'abort') {
      aborted = true;
    }
  };

  // Services come from the registry; each extension point from its
  // factory, called once for this feature so reports name the feature.
  const resolveDeps = async (feature: FeatureRegistration) => {
    const entries = Object.entries(feature.init.deps);
    const services = await registry.getDeps(
      Object.fromEntries(
        entries.filter(([, dep]) => isServiceRef(dep)),
      ) as Record<string, ServiceRef<unknown>>,
      pluginId,
    );
    for (const [name, dep] of entries) {
      if (dep.id === connectionsServiceRef.id && services[name]) {
        services[name] = withDeclaredConnections(
          services[name] as ConnectionsService,
          feature.label,
          feature.connectionTypes,
        );
      }
    }
    const context: ExtensionPointFactoryContext = {
      reportModuleStartupFailure: ({ error }) => fail(feature, error),
    };
    const extensions = entries
      .filter(([, dep]) => isExtensionPoint(dep))
      .map(([name, dep]): [string, unknown] => [
        name,
        extensionPoints.get(dep.id)!.registration.factory(context),
      ]);
    return { ...services, ...Object.fromEntries(extensions) };
  };

  const init = async (feature: FeatureRegistration): Promise<boolean> => {
    try {
      await feature.init.func(await resolveDeps(feature));
      return true;
    } catch (error) {
      fail(feature, error);
      return false;
    }
  };

  try {
    await registry.createEagerPluginServices(pluginId);
  } catch (error) {
    fail(unit.plugin, error);
    return false;
  }
  await orderModules(unit.modules).parallelTopologicalTraversal(init);
  if (aborted) {
    return false;
  }
  return init(unit.plugin);
}

/**
 * Orders a plugin's modules so that a module registering an extension
 * point starts after every module that uses it: the users add to it during
 * their init, and the registering module may act on that in its own init.
 * Each module provides a "done using" token per extension point it uses
 * and waits for the tokens of the extension points it registers.
 */
export function orderModules(
  modules: readonly FeatureRegistration[],
): DependencyGraph<FeatureRegistration> {
  const doneUsing = (extensionPointId: string) =>
    `done using ${extensionPointId}`;
  return DependencyGraph.fromIterable(
    modules.map(module => {
      const used = Object.values(module.init.deps)
        .filter(isExtensionPoint)
        .map(ep => ep.id);
      const registered = module.extensionPoints.map(e => e.extensionPoint.id);
      return {
        value: module,
        provides: used.map(doneUsing),
        consumes: registered.map(doneUsing),
      };
    }),
  );
}

/**
 * Receives every failure of a plugin or module during start, including
 * those a plugin reports for a module through its extension point, and
 * applies the boot failure policy: `continue` failures are logged,
 * `abort` failures are kept until the start checks them. Failures reported
 * after the start completed can no longer abort it, so they are logged.
 */
export class BootFailureRecorder {
  readonly #policy: BootFailurePolicy;
  readonly #logger: LoggerService;
  readonly #order: readonly string[];
  readonly #failures: LifecycleError[] = [];
  #closed = false;

  /**
   * @param units - the plugins and modules in registration order, which is
   *   the order failures are listed in, however they interleave in time.
   */
  constructor(
    policy: BootFailurePolicy,
    logger: LoggerService,
    units: readonly PluginUnit[],
  ) {
    this.#policy = policy;
    this.#logger = logger;
    this.#order = units.flatMap(u => [
      u.plugin.label,
      ...u.modules.map(m => m.label),
    ]);
  }

  /** The failures that must abort the start, so far. */
  get failures(): readonly Error[] {
    const rank = (error: LifecycleError) => this.#order.indexOf(error.feature!);
    return [...this.#failures].sort((a, b) => rank(a) - rank(b));
  }

  /** Records a failure and returns the action the policy chose. */
  report(feature: FeatureRegistration, cause: unknown): BootFailureAction {
    const { label } = feature;
    const error = new LifecycleError(
      'FEATURE_STARTUP_FAILED',
      `${label[0].toUpperCase()}${label.slice(1)} failed to start.`,
      { cause, feature: label },
    );
    const logger = this.#logger.child({ plugin: feature.pluginId });
    const meta = toError(cause);
    const action =
      feature.kind === 'plugin'
        ? this.#policy.forPlugin(feature.pluginId)
        : this.#policy.forModule(feature.pluginId, feature.moduleId!);
    if (this.#closed) {
      logger.error(
        `${error.message} It was reported after the backend had started, so the backend keeps running.`,
        meta,
      );
    } else if (action === 'continue') {
      logger.error(
        `${error.message} The backend starts without it because its boot failure policy is 'continue'.`,
        meta,
      );
    } else {
      this.#failures.push(error);
    }
    return action;
  }

  /** Ends the start: later reports are logged instead of kept. */
  close(): void {
    this.#closed = true;
  }
}

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
          : new WiringError(
              'SERVICE_CONFIG_UNREADABLE',
              `Service 'core.rootConfig' failed to read '${key}'.`,
              error,
            ),
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
      problems.push(
        new WiringError(
          'CONFIG_INVALID_BOOT_FAILURE_POLICY',
          `Invalid config at '${key}': expected 'abort' or 'continue', got ${JSON.stringify(value)}.`,
        ),
      );
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
