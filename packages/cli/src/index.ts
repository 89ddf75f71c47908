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
export type { NewAnswers } from './new/NewAnswers';
export {
  newTemplates,
  type NewTemplate,
  type NewTemplateOption,
} from './new/newTemplates';
export { isValidEngineId } from './new/checkId';
export {
  runYarnInstall,
  type InstallRunner,
  type InstallResult,
} from './new/runYarnInstall';
export { resolveYarnCommand } from './new/resolveYarnCommand';
export { InstallFailedError } from './new/InstallFailedError';
export { NewCancelledError } from './new/NewCancelledError';
export { createReadlinePrompter } from './prompt/createReadlinePrompter';
export type { Prompter, PromptChoice } from './prompt/Prompter';
