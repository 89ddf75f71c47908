import { CustomErrorBase } from '@plinth/errors';
import { FeatureStartupError } from './FeatureStartupError';
import { formatErrorList } from './formatErrorList';

/**
 * One or more plugins or modules failed to start under the `abort` boot
 * failure policy; each is listed with its cause.
 *
 * @public
 */
export class BackendStartupError extends CustomErrorBase {
  readonly name = 'BackendStartupError' as const;

  constructor(readonly failures: readonly Error[]) {
    const canContinue = failures.some(f => f instanceof FeatureStartupError);
    const fix = canContinue
      ? "\nFix the causes above, or let the backend start without a failed plugin or module by setting its policy to 'continue' (backend.startup.plugins.<pluginId>.onPluginBootFailure, or .modules.<moduleId>.onPluginModuleBootFailure)."
      : '\nFix the causes above.';
    super(`Backend failed to start:\n${formatErrorList(failures)}${fix}`);
  }
}
