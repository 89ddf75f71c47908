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
