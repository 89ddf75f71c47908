import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { InstallFailedError, NewCancelledError } from '../errors';
import type { NewAnswers } from './newTemplates';
import { planNewPackage, type NewPackagePlan } from './planNewPackage';
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
 * @throws `NewCommandError` for answers that cannot work;
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

/** A file of the new package: its path relative to the package folder, and its text. */
export interface RenderedFile {
  path: string;
  content: string;
}

const templateSuffix = '.tmpl';
const tokenPattern = /\{\{(\w+)\}\}/g;

/**
 * Reads every file of a template folder and fills in the `{{token}}`s of
 * its paths and contents. Template files end in `.tmpl`, so the
 * repository's tsc, ESLint, Prettier and Jest leave them alone; the suffix
 * is dropped.
 * @throws Error naming the file, when a file lacks the suffix or uses a
 *   token without a value: a broken template, not a user mistake.
 */
export function renderTemplate(
  templateDir: string,
  tokens: Readonly<Record<string, string>>,
): RenderedFile[] {
  return listFiles(templateDir).map(relative => {
    if (!relative.endsWith(templateSuffix)) {
      throw new Error(
        `Template file '${path.join(templateDir, relative)}' does not end in '${templateSuffix}'; rename it, so that the repository's tools skip it.`,
      );
    }
    const fill = (text: string) =>
      text.replace(tokenPattern, (token, name: string) => {
        const value = tokens[name];
        if (value === undefined) {
          throw new Error(
            `Template file '${path.join(templateDir, relative)}' uses ${token}, which this template has no value for; use one of ${Object.keys(tokens).join(', ')}.`,
          );
        }
        return value;
      });
    return {
      path: fill(relative.slice(0, -templateSuffix.length)),
      content: fill(fs.readFileSync(path.join(templateDir, relative), 'utf8')),
    };
  });
}

/** Every file below `dir`, relative to it, in a stable order. */
function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const relative = path.posix.join(prefix, entry.name);
      return entry.isDirectory() ? listFiles(dir, relative) : [relative];
    });
}

/**
 * Formats the new files with the repository's Prettier config, as if they
 * already sat in `packageDir`: ids of other lengths change where lines
 * wrap, and `yarn lint` checks formatting. Files Prettier has no parser
 * for stay as they are.
 */
export async function formatFiles(
  files: readonly RenderedFile[],
  packageDir: string,
): Promise<RenderedFile[]> {
  return Promise.all(
    files.map(async file => {
      const filepath = path.join(packageDir, file.path);
      const { inferredParser } = await prettier.getFileInfo(filepath);
      if (!inferredParser) {
        return file;
      }
      const config = await prettier.resolveConfig(filepath);
      const content = await prettier.format(file.content, {
        ...config,
        filepath,
      });
      return { ...file, content };
    }),
  );
}

const dependencyFields = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
] as const;

/**
 * Gives each third-party dependency of a new package the range the rest of
 * the repository uses for it (the most common one), so that the install
 * resolves from the lockfile and the repository keeps one version of it.
 * Dependencies the repository does not use keep the template's range.
 */
export function alignDependencyRanges(
  manifest: PackageManifest,
  others: readonly PackageManifest[],
): PackageManifest {
  const counts = new Map<string, Map<string, number>>();
  for (const other of others) {
    for (const field of dependencyFields) {
      for (const [name, range] of Object.entries(other[field] ?? {})) {
        if (range.startsWith('workspace:')) {
          continue;
        }
        const ranges = counts.get(name) ?? new Map<string, number>();
        ranges.set(range, (ranges.get(range) ?? 0) + 1);
        counts.set(name, ranges);
      }
    }
  }
  const aligned: PackageManifest = { ...manifest };
  for (const field of dependencyFields) {
    const deps = manifest[field];
    if (!deps) {
      continue;
    }
    aligned[field] = Object.fromEntries(
      Object.entries(deps).map(([name, range]) => {
        const used = counts.get(name);
        if (range.startsWith('workspace:') || !used) {
          return [name, range];
        }
        const [common] = [...used.entries()].sort((a, b) => b[1] - a[1])[0];
        return [name, common];
      }),
    );
  }
  return aligned;
}
