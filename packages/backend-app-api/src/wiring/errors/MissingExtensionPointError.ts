import { CustomErrorBase } from '@plinth/errors';

/**
 * A module depends on an extension point that no installed feature
 * registers.
 *
 * @public
 */
export class MissingExtensionPointError extends CustomErrorBase {
  readonly name = 'MissingExtensionPointError' as const;

  constructor(
    readonly extensionPointId: string,
    requestedBy: string,
    depName: string,
  ) {
    super(
      `Extension point '${extensionPointId}' is required by ${requestedBy} (deps.${depName}) but nothing installed registers it; install the plugin or module that provides it, or remove the module.`,
    );
  }
}
