/**
 * `yarn new`: creates backend plugins, modules and node libraries from the
 * templates in `templates/`, adds them to the workspace and installs them.
 * `yarn build` and `yarn build:backend`: compile every package to dist/
 * and write the self-contained folder that runs the backend with node.
 * `yarn plinth token`: creates, lists and revokes API tokens through the
 * permission plugin's admin API. `yarn plinth validate-entities`: checks
 * catalog files against a running catalog, for CI. The root `yarn new` and `yarn plinth`
 * scripts run `src/bin.ts`; the functions below are the same steps for
 * scripts and tests.
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
  runTokenCommand,
  type RunTokenCommandOptions,
} from './token/runTokenCommand';
export {
  runValidateEntitiesCommand,
  type RunValidateEntitiesCommandOptions,
} from './validate/runValidateEntitiesCommand';
export {
  runBuildCommand,
  runBuildBackendCommand,
  type RunBuildCommandOptions,
} from './build/runBuildCommand';
export { devToolPackages } from './build/installProductionDependencies';
export {
  BuildCommandError,
  type BuildCommandErrorCode,
  InstallFailedError,
  NewCancelledError,
  NewCommandError,
  type NewCommandErrorCode,
  TokenCommandError,
  type TokenCommandErrorCode,
  ValidateCommandError,
  type ValidateCommandErrorCode,
} from './errors';
export {
  createReadlinePrompter,
  type Prompter,
  type PromptChoice,
} from './createReadlinePrompter';
