import fs from 'node:fs';
import path from 'node:path';
import { NewCommandError } from '../errors';
import {
  checkId,
  findNewTemplate,
  listTemplateNames,
  type NewAnswers,
  type NewTemplate,
} from './newTemplates';
import type { Workspace } from './Workspace';

/** Everything needed to create one package, decided before any file is written. */
export interface NewPackagePlan {
  template: NewTemplate;
  /** The template folder the files come from. */
  templateDir: string;
  /** The new package's folder, relative to the workspace root. */
  dir: string;
  packageName: string;
  /** The values of the `{{token}}`s in the template's paths and files. */
  tokens: Record<string, string>;
}

/** Where the templates ship, beside `src/`. */
export const defaultTemplatesDir = path.resolve(__dirname, '../../templates');

/**
 * Checks the answers and decides the package's folder, name and template
 * values, so that every mistake is reported before anything is written.
 * @throws NewCommandError: `NEW_UNKNOWN_TEMPLATE`; `NEW_INVALID_ANSWER`
 *   for invalid ids (every invalid id at once); `NEW_TARGET_TAKEN` when the
 *   folder or package name is taken; `NEW_FOLDER_NOT_IN_WORKSPACE`;
 *   `NEW_NODE_LIBRARY_MISSING` when a module's plugin has no node library to
 *   take its extension point from.
 */
export function planNewPackage(
  answers: NewAnswers,
  workspace: Workspace,
  templatesDir: string = defaultTemplatesDir,
): NewPackagePlan {
  const template = findNewTemplate(answers.template);
  if (!template) {
    throw new NewCommandError(
      'NEW_UNKNOWN_TEMPLATE',
      `Unknown template '${answers.template}': choose one of ${listTemplateNames()}.`,
    );
  }
  assertIds(template, answers);
  const pluginId = answers.options.pluginId!;
  assertPluginIdFits(template, pluginId, workspace);
  const { dir, packageName } = targetOf(template, answers);
  assertTargetFree(workspace, dir, packageName);
  if (!workspace.covers(dir)) {
    throw new NewCommandError(
      'NEW_FOLDER_NOT_IN_WORKSPACE',
      `Cannot create ${dir}: no workspace glob in the root package.json covers it (${workspace.patterns.join(', ')}). Add 'plugins/*' to 'workspaces'.`,
    );
  }

  const tokens = idTokens('pluginId', pluginId);
  let templateFolder = template.name;
  if (template.name === 'backend-module') {
    Object.assign(tokens, idTokens('moduleId', answers.options.moduleId!));
    if (pluginId === 'catalog') {
      templateFolder = 'catalog-backend-module';
      // moduleId 'my-processor' makes MyProcessor, not MyProcessorProcessor.
      tokens.processorClass = `${tokens.moduleIdPascal.replace(/Processor$/, '')}Processor`;
    } else {
      tokens.nodePackageName = nodeLibraryOf(pluginId).name;
    }
  }
  return {
    template,
    templateDir: path.join(templatesDir, templateFolder),
    dir,
    packageName,
    tokens: { ...tokens, packageName, packageDir: dir },
  };
}

/** The folder and package name the answers make. */
export function targetOf(
  template: NewTemplate,
  answers: NewAnswers,
): { dir: string; packageName: string } {
  const { pluginId, moduleId } = answers.options;
  const folder =
    template.name === 'backend-plugin'
      ? `${pluginId}-backend`
      : template.name === 'node-library'
        ? `${pluginId}-node`
        : `${pluginId}-backend-module-${moduleId}`;
  return { dir: `plugins/${folder}`, packageName: `@plinth/plugin-${folder}` };
}

/**
 * Checks what a plugin id must be beyond the id rule: not ending in the
 * suffix the template adds, and, for a module of a plugin other than the
 * catalog, having the node library the module template builds on.
 * @throws NewCommandError `NEW_INVALID_ANSWER` or `NEW_NODE_LIBRARY_MISSING`.
 */
export function assertPluginIdFits(
  template: NewTemplate,
  pluginId: string,
  workspace: Workspace,
) {
  if (template.name === 'backend-plugin') {
    assertNoSuffix(pluginId, '-backend', 'plugins/<pluginId>-backend');
  } else if (template.name === 'node-library') {
    assertNoSuffix(pluginId, '-node', 'plugins/<pluginId>-node');
  } else if (pluginId !== 'catalog') {
    assertNodeLibrary(workspace, pluginId);
  }
}

function assertIds(template: NewTemplate, answers: NewAnswers) {
  const problems = template.options.flatMap(option => {
    const value = answers.options[option];
    if (value === undefined) {
      return [
        `Missing ${option}: template '${template.name}' needs --option ${option}=<id>.`,
      ];
    }
    return checkId(option, value) ?? [];
  });
  if (problems.length > 0) {
    throw new NewCommandError('NEW_INVALID_ANSWER', problems.join('\n'));
  }
}

/** `pluginId`, `pluginIdCamel`, `pluginIdPascal` and `pluginIdSnake` of an id. */
function idTokens(
  option: 'pluginId' | 'moduleId',
  id: string,
): Record<string, string> {
  const words = id.split('-');
  const pascal = words.map(w => w[0].toUpperCase() + w.slice(1)).join('');
  return {
    [option]: id,
    [`${option}Camel`]: words[0] + pascal.slice(words[0].length),
    [`${option}Pascal`]: pascal,
    [`${option}Snake`]: words.join('_'),
  };
}

function assertNoSuffix(pluginId: string, suffix: string, layout: string) {
  if (pluginId.endsWith(suffix)) {
    const trimmed = pluginId.slice(0, -suffix.length);
    throw new NewCommandError(
      'NEW_INVALID_ANSWER',
      `Invalid plugin id '${pluginId}': the package goes to ${layout}, which adds '${suffix}' itself; use '${trimmed}'.`,
    );
  }
}

function nodeLibraryOf(pluginId: string) {
  return {
    dir: `plugins/${pluginId}-node`,
    name: `@plinth/plugin-${pluginId}-node`,
    extensionPoint: `${idTokens('pluginId', pluginId).pluginIdCamel}ActionsExtensionPoint`,
  };
}

/**
 * The module template adds an action through the extension point that the
 * `node-library` template creates, so that library must exist and still
 * export it.
 */
function assertNodeLibrary(workspace: Workspace, pluginId: string) {
  const { dir, name, extensionPoint } = nodeLibraryOf(pluginId);
  const create = `yarn new --select node-library --option pluginId=${pluginId}`;
  const library = workspace.packages().find(p => p.dir === dir);
  if (!library || library.manifest.name !== name) {
    throw new NewCommandError(
      'NEW_NODE_LIBRARY_MISSING',
      `Cannot create a module for plugin '${pluginId}': the module adds an action through '${extensionPoint}' from '${name}', and ${dir} ${library ? `is named '${library.manifest.name}'` : 'does not exist'}. Create the library first with '${create}', or use pluginId 'catalog' for a catalog module.`,
    );
  }
  const index = path.join(workspace.resolve(dir), 'src/index.ts');
  const source = fs.existsSync(index) ? fs.readFileSync(index, 'utf8') : '';
  if (!new RegExp(`\\b${extensionPoint}\\b`).test(source)) {
    throw new NewCommandError(
      'NEW_NODE_LIBRARY_MISSING',
      `Cannot create a module for plugin '${pluginId}': the module adds an action through '${extensionPoint}', and ${dir}/src/index.ts does not export it. Export it again, or write the module by hand against the extension points the library has.`,
    );
  }
}

/**
 * Refuses a folder that exists or a package name that is taken.
 * @throws NewCommandError `NEW_TARGET_TAKEN` naming the folder, and the package that has the name.
 */
export function assertTargetFree(
  workspace: Workspace,
  dir: string,
  packageName: string,
) {
  if (fs.existsSync(workspace.resolve(dir))) {
    throw new NewCommandError(
      'NEW_TARGET_TAKEN',
      `Cannot create ${dir}: the folder already exists, and yarn new never overwrites files. Choose another id, or move the folder away first.`,
    );
  }
  const taken = workspace.packages().find(p => p.manifest.name === packageName);
  if (taken) {
    throw new NewCommandError(
      'NEW_TARGET_TAKEN',
      `Cannot create ${dir}: the package name '${packageName}' is taken by ${taken.dir}. Choose another id.`,
    );
  }
}
