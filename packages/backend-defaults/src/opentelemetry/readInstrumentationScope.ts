import type { Config } from '@plinth/backend-plugin-api';

/**
 * The name, version and schema URL a plugin's meter or tracer is created
 * with.
 *
 * @alpha
 */
export interface InstrumentationScope {
  name: string;
  version?: string;
  schemaUrl?: string;
}

/**
 * Reads the instrumentation scope of plugin `pluginId` from `key`
 * (`backend.metrics.plugin.<pluginId>.meter` or
 * `backend.tracing.plugin.<pluginId>.tracer`). The name defaults to
 * `backstage-plugin-<pluginId>`, the scope Backstage gives the plugin, so
 * dashboards and trace queries work on both runtimes.
 *
 * @throws {@link @plinth/backend-defaults#InvalidConfigError} when a value is not a string.
 */
export function readInstrumentationScope(
  config: Config,
  key: string,
  pluginId: string,
): InstrumentationScope {
  return {
    name:
      config.getOptionalString(`${key}.name`) ?? `backstage-plugin-${pluginId}`,
    version: config.getOptionalString(`${key}.version`),
    schemaUrl: config.getOptionalString(`${key}.schemaUrl`),
  };
}
