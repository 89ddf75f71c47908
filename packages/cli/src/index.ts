/**
 * `yarn new`: creates backend plugins, modules and node libraries from the
 * templates in `templates/`, adds them to the workspace and installs them.
 * The root `yarn new` script runs `src/bin.ts`; the functions below are the
 * same steps for scripts and tests.
 *
 * @packageDocumentation
 */
export { runNewCommand, type RunNewCommandOptions } from './new/runNewCommand';
export {
  createNewPackage,
  type CreateNewPackageOptions,
  type CreatedPackage,
} from './new/createNewPackage';
export {
  isValidEngineId,
  newTemplates,
  type NewAnswers,
  type NewTemplate,
  type NewTemplateOption,
} from './new/newTemplates';
export {
  resolveYarnCommand,
  runYarnInstall,
  type InstallRunner,
  type InstallResult,
} from './new/runYarnInstall';
export {
  InstallFailedError,
  NewCancelledError,
  NewCommandError,
  type NewCommandErrorCode,
} from './errors';
export {
  createReadlinePrompter,
  type Prompter,
  type PromptChoice,
} from './createReadlinePrompter';
