const pluginIdPattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/i;

/** How a plugin id is written, for error messages. */
export const pluginIdRule =
  "letters, digits and single dashes, starting with a letter, such as 'my-plugin'";

/** Whether `value` is a valid plugin id, by the rule the engine uses. */
export function isPluginId(value: unknown): value is string {
  return typeof value === 'string' && pluginIdPattern.test(value);
}
