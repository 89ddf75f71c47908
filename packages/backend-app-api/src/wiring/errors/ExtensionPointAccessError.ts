import { CustomErrorBase } from '@plinth/errors';

/**
 * A feature uses an extension point it may not use: a plugin consuming any
 * extension point, or a module consuming one of another plugin.
 *
 * @public
 */
export class ExtensionPointAccessError extends CustomErrorBase {
  readonly name = 'ExtensionPointAccessError' as const;
}
