import fs from 'node:fs';
import path from 'node:path';
import { alignDependencyRanges } from './alignDependencyRanges';
import { formatFiles } from './formatFiles';
import { InstallFailedError } from './InstallFailedError';
import type { NewAnswers } from './NewAnswers';
import { NewCancelledError } from './NewCancelledError';
import { planNewPackage, type NewPackagePlan } from './planNewPackage';
import { renderTemplate, type RenderedFile } from './renderTemplate';
import { runYarnInstall, type InstallRunner } from './runYarnInstall';
import { Workspace, type PackageManifest } from './Workspace';

/**
 * Options for {@link createNewPackage}.
 *
 * @public
 */
export interface CreateNewPackageOptions {
  answers: NewAnswers;
  /** Where the command runs; the workspace root is found from here. */
  cwd: string;
  /**
   * Runs `yarn install`, or `false` to leave that to the user.
   * @defaultValue `yarn install` with the Yarn that runs the command
   */
  install?: InstallRunner | false;
  /** @defaultValue the templates shipped with this package */
  templatesDir?: string;
  /**
   * Told what is happening while the command runs.
   * @defaultValue silent
   */
  log?: (line: string) => void;
}

/**
 * A package {@link createNewPackage} made.
 *
 * @public
 */
export interface CreatedPackage {
  /** Its folder, relative to the workspace root. */
  dir: string;
  packageName: string;
  template: string;
  /** Its files, relative to its folder. */
  files: string[];
  /** Whether `yarn install` ran. */
  installed: boolean;
  /** The `{{token}}` values it was made with, such as `pluginId`. */
  tokens: Record<string, string>;
}

/**
 * Creates a workspace package from a template: checks every answer first,
 * writes the files to a hidden folder and moves it into place in one step,
 * then runs `yarn install`. Whatever fails, no folder is left and
 * yarn.lock is restored.
 *
 * @example
 * ```ts
 * const created = await createNewPackage({
 *   answers: { template: 'node-library', options: { pluginId: 'todo' } },
 *   cwd: process.cwd(),
 * });
 * created.dir; // 'plugins/todo-node'
 * ```
 * @throws {@link @plinth/errors#InputError}, {@link @plinth/errors#ConflictError}
 *   or {@link @plinth/errors#NotFoundError} for answers that cannot work;
 *   {@link InstallFailedError} when the install fails;
 *   {@link NewCancelledError} when interrupted during the install.
 * @public
 */
export async function createNewPackage(
  options: CreateNewPackageOptions,
): Promise<CreatedPackage> {
  const workspace = Workspace.find(options.cwd);
  const plan = planNewPackage(options.answers, workspace, options.templatesDir);
  const target = workspace.resolve(plan.dir);
  const files = await formatFiles(
    alignManifest(renderTemplate(plan.templateDir, plan.tokens), workspace),
    target,
  );
  writeAtomically(target, files);

  const install = options.install ?? runYarnInstall;
  if (install !== false) {
    options.log?.(`Created ${plan.dir}; running yarn install...`);
    await installOrRollBack(workspace, plan, install);
  }
  return {
    dir: plan.dir,
    packageName: plan.packageName,
    template: plan.template.name,
    files: files.map(file => file.path),
    installed: install !== false,
    tokens: plan.tokens,
  };
}

function alignManifest(
  files: RenderedFile[],
  workspace: Workspace,
): RenderedFile[] {
  const others = [
    workspace.rootManifest,
    ...workspace.packages().map(p => p.manifest),
  ];
  return files.map(file =>
    file.path === 'package.json'
      ? {
          ...file,
          content: `${JSON.stringify(
            alignDependencyRanges(
              JSON.parse(file.content) as PackageManifest,
              others,
            ),
            null,
            2,
          )}\n`,
        }
      : file,
  );
}

/**
 * Writes the files to a hidden folder beside `target` and renames it into
 * place, so a failed write never leaves a half-made package behind.
 */
function writeAtomically(target: string, files: readonly RenderedFile[]) {
  const staging = path.join(
    path.dirname(target),
    `.${path.basename(target)}.yarn-new-${process.pid}`,
  );
  try {
    for (const file of files) {
      const to = path.join(staging, file.path);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, file.content);
    }
    fs.renameSync(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function installOrRollBack(
  workspace: Workspace,
  plan: NewPackagePlan,
  install: InstallRunner,
) {
  const lockfile = workspace.resolve('yarn.lock');
  const lock = fs.existsSync(lockfile) ? fs.readFileSync(lockfile) : undefined;
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  try {
    const result = await install(workspace.root);
    if (result.exitCode === 0 && !interrupted) {
      return;
    }
    fs.rmSync(workspace.resolve(plan.dir), { recursive: true, force: true });
    if (lock) {
      fs.writeFileSync(lockfile, lock);
    }
    if (interrupted) {
      throw new NewCancelledError(
        `Interrupted during yarn install, so ${plan.dir} was removed again and yarn.lock restored.`,
      );
    }
    throw new InstallFailedError(plan.dir, result.exitCode, result.output);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}
