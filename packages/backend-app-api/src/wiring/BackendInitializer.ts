import {
  coreServices,
  createServiceFactory,
  isServiceRef,
  type BackendFeature,
  type Config,
  type InternalBackendFeatureLoader,
  type InternalBackendRegistrations,
  type LoggerService,
  type RootInstanceMetadataServicePluginInfo,
  type ServiceFactory,
} from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import { ServiceRegistry } from '../services/ServiceRegistry';
import { collectFeatures } from './collectFeatures';
import { createConsoleLogger } from './createConsoleLogger';
import { BackendShutdownError } from './errors/BackendShutdownError';
import { BackendStartupError } from './errors/BackendStartupError';
import { BackendStateError } from './errors/BackendStateError';
import { BackendValidationError } from './errors/BackendValidationError';
import { InvalidFeatureError } from './errors/InvalidFeatureError';
import { initPlugin } from './initPlugin';
import { installSignalHandlers } from './installSignalHandlers';
import {
  readBootFailurePolicy,
  type BootFailurePolicy,
} from './readBootFailurePolicy';
import { readRegistrations } from './readRegistrations';
import { runLifecyclePhase } from './runLifecyclePhase';
import { trackStartupProgress } from './trackStartupProgress';
import { validateRegistrations } from './validateRegistrations';
import { validateServiceGraph } from './validateServiceGraph';
import type { PluginUnit } from './PluginUnit';

type State = 'idle' | 'starting' | 'started' | 'stopped';

/**
 * Options for {@link BackendInitializer}.
 */
export interface BackendInitializerOptions {
  defaultServiceFactories: readonly ServiceFactory[];
  handleSignals: boolean;
  startupProgressIntervalMs: number;
}

/**
 * Runs one backend through its life: collect features, validate the whole
 * graph, create eager services, initialise plugins, run startup hooks; and
 * on stop, the shutdown phases in order.
 */
export class BackendInitializer {
  readonly #options: BackendInitializerOptions;
  readonly #added: unknown[] = [];
  readonly #installed: RootInstanceMetadataServicePluginInfo[] = [];
  readonly #registry: ServiceRegistry;
  #state: State = 'idle';
  #startPromise?: Promise<void>;
  #shutdownPromise?: Promise<readonly Error[]>;
  #units: PluginUnit[] = [];
  #logger: LoggerService = createConsoleLogger();
  #forgetSignals?: () => void;

  constructor(options: BackendInitializerOptions) {
    this.#options = options;
    const installed = this.#installed;
    this.#registry = ServiceRegistry.create({
      defaultFactories: options.defaultServiceFactories,
      builtinFactories: [
        createServiceFactory({
          service: coreServices.rootInstanceMetadata,
          deps: {},
          factory: () => ({
            getInstalledPlugins: () => Promise.resolve(installed),
          }),
        }),
      ],
    });
  }

  add(feature: BackendFeature | Promise<{ default: BackendFeature }>): void {
    if (this.#state !== 'idle') {
      throw new BackendStateError(
        'backend.add() was called after backend.start(); add every feature before starting the backend.',
      );
    }
    this.#added.push(feature);
  }

  start(): Promise<void> {
    if (this.#startPromise) {
      return Promise.reject(
        new BackendStateError(
          'backend.start() was called twice; start a backend once, or create another one.',
        ),
      );
    }
    this.#state = 'starting';
    this.#startPromise = this.#start();
    return this.#startPromise;
  }

  async stop(): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      return;
    }
    await this.#startPromise?.catch(() => {});
    const failures = await this.#shutdown();
    if (failures.length > 0) {
      throw new BackendShutdownError(failures);
    }
  }

  async #start(): Promise<void> {
    const startedAt = Date.now();
    const { units, extensionPoints, policy } = await this.#validate();
    this.#units = units;

    if (this.#registry.has(coreServices.rootLogger.id)) {
      this.#logger = (await this.#registry
        .get(coreServices.rootLogger)
        .catch(() => this.#logger)) as LoggerService;
    }
    if (this.#options.handleSignals) {
      this.#forgetSignals = installSignalHandlers({
        stop: () => this.stop(),
        logger: this.#logger,
      });
    }

    try {
      await this.#registry.createEagerRootServices();
    } catch (error) {
      await this.#failStart([toError(error)]);
    }

    const pluginIds = units.map(u => u.pluginId);
    this.#logger.info(
      `Initializing plugins: ${pluginIds.map(id => `'${id}'`).join(', ') || 'none'}.`,
    );
    const progress = trackStartupProgress({
      pluginIds,
      logger: this.#logger,
      intervalMs: this.#options.startupProgressIntervalMs,
    });
    const results = await Promise.all(
      units.map(async unit => {
        const pluginLogger = this.#logger.child({ plugin: unit.pluginId });
        const result = await initPlugin({
          unit,
          registry: this.#registry,
          extensionPoints,
          policy,
          logger: pluginLogger,
        });
        progress.done(unit.pluginId);
        return { unit, ...result };
      }),
    ).finally(() => progress.stop());
    const failures = results.flatMap(r => r.failures);
    if (failures.length > 0) {
      await this.#failStart(failures);
    }

    const started = results.filter(r => r.ok).map(r => r.unit.pluginId);
    const hookFailures = await this.#runStartupHooks(started, policy);
    if (hookFailures.length > 0) {
      await this.#failStart(hookFailures);
    }
    this.#state = 'started';
    this.#logger.info(`Backend started in ${Date.now() - startedAt}ms.`);
  }

  async #validate() {
    const problems: Error[] = [];
    const collected = await collectFeatures(this.#added, 'backend.add()');
    problems.push(...collected.problems);
    for (const factory of collected.features.serviceFactories) {
      const problem = this.#registry.add(factory);
      if (problem) {
        problems.push(problem);
      }
    }
    const features = [...collected.features.registrations];
    problems.push(
      ...(await this.#runLoaders(collected.features.loaders, features)),
    );

    const read = readRegistrations(features);
    problems.push(...read.problems);
    const validated = validateRegistrations(read.registrations);
    problems.push(...validated.problems);
    for (const unit of validated.units) {
      this.#installed.push({
        pluginId: unit.pluginId,
        modules: unit.modules.map(m => ({ moduleId: m.moduleId! })),
      });
    }

    const consumers = read.registrations.map(r => ({
      label: r.label,
      deps: r.init.deps,
    }));
    const requested = consumers
      .flatMap(c => Object.values(c.deps))
      .filter(isServiceRef);
    const factoryDeps = this.#registry
      .activeFactories()
      .flatMap(f => [f.service, ...Object.values(f.deps)]);
    problems.push(
      ...(await this.#registry.addRefDefaults([...requested, ...factoryDeps])),
    );
    problems.push(...validateServiceGraph(this.#registry, consumers));

    let config: Config | undefined;
    if (
      problems.length === 0 &&
      this.#registry.has(coreServices.rootConfig.id)
    ) {
      try {
        config = (await this.#registry.get(coreServices.rootConfig)) as Config;
      } catch (error) {
        problems.push(toError(error));
      }
    }
    const { policy, problems: policyProblems } = readBootFailurePolicy(
      config,
      validated.units.map(u => ({
        pluginId: u.pluginId,
        moduleIds: u.modules.map(m => m.moduleId!),
      })),
    );
    problems.push(...policyProblems);
    if (problems.length > 0) {
      this.#state = 'stopped';
      throw new BackendValidationError(problems);
    }
    return { ...validated, policy };
  }

  async #runLoaders(
    loaders: InternalBackendFeatureLoader[],
    features: InternalBackendRegistrations[],
  ): Promise<Error[]> {
    const problems: Error[] = [];
    const queue = [...loaders];
    while (queue.length > 0) {
      const loader = queue.shift()!;
      const label = loader.description ?? 'feature loader of unknown origin';
      const loaderProblems = [
        ...(await this.#registry.addRefDefaults(Object.values(loader.deps))),
        ...validateServiceGraph(this.#registry, [
          { label, deps: loader.deps, rootOnly: true },
        ]),
      ];
      if (loaderProblems.length > 0) {
        problems.push(...loaderProblems);
        continue;
      }
      try {
        const names = Object.keys(loader.deps);
        const values = await Promise.all(
          names.map(name => this.#registry.get(loader.deps[name])),
        );
        const result = await loader.loader(
          Object.fromEntries(names.map((name, i) => [name, values[i]])),
        );
        const items: unknown[] = [];
        for await (const item of result) {
          items.push(item);
        }
        const collected = await collectFeatures(items, `The ${label}`);
        problems.push(...collected.problems);
        for (const factory of collected.features.serviceFactories) {
          const problem = this.#registry.add(factory);
          if (problem) {
            problems.push(problem);
          }
        }
        features.push(...collected.features.registrations);
        queue.push(...collected.features.loaders);
      } catch (error) {
        problems.push(new InvalidFeatureError(`The ${label} failed.`, error));
      }
    }
    return problems;
  }

  async #runStartupHooks(
    pluginIds: readonly string[],
    policy: BootFailurePolicy,
  ): Promise<Error[]> {
    const pluginFailures = await Promise.all(
      pluginIds.map(async pluginId => {
        const errors = await runLifecyclePhase(
          this.#registry,
          'startup',
          pluginId,
        );
        if (errors.length > 0 && policy.forPlugin(pluginId) === 'continue') {
          this.#logger.error(
            `Startup hooks of plugin '${pluginId}' failed; the backend starts anyway because its boot failure policy is 'continue'.`,
          );
          return [];
        }
        return errors;
      }),
    );
    const rootFailures = await runLifecyclePhase(this.#registry, 'startup');
    return [...pluginFailures.flat(), ...rootFailures];
  }

  async #failStart(failures: Error[]): Promise<never> {
    const error = new BackendStartupError(failures);
    this.#logger.error(error.message);
    await this.#shutdown();
    throw error;
  }

  #shutdown(): Promise<readonly Error[]> {
    this.#shutdownPromise ??= (async () => {
      const registry = this.#registry;
      const failures = [
        ...(await runLifecyclePhase(registry, 'beforeShutdown')),
      ];
      const pluginFailures = await Promise.all(
        this.#units.map(u =>
          runLifecyclePhase(registry, 'shutdown', u.pluginId),
        ),
      );
      failures.push(...pluginFailures.flat());
      failures.push(...(await runLifecyclePhase(registry, 'shutdown')));
      this.#state = 'stopped';
      this.#forgetSignals?.();
      return failures;
    })();
    return this.#shutdownPromise;
  }
}
