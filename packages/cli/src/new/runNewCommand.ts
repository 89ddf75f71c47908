import { quoteList } from '@plinth/errors';
import type { Prompter } from '../createReadlinePrompter';
import { isUserError, NewCommandError } from '../errors';
import { createNewPackage, type CreatedPackage } from './createNewPackage';
import {
  checkId,
  findNewTemplate,
  listTemplateNames,
  maxIdLength,
  newTemplates,
  optionLabels,
  type NewAnswers,
  type NewTemplate,
  type NewTemplateOption,
} from './newTemplates';
import { parseNewArgs } from './parseNewArgs';
import {
  assertPluginIdFits,
  assertTargetFree,
  targetOf,
} from './planNewPackage';
import type { InstallRunner } from './runYarnInstall';
import { Workspace } from './Workspace';

/**
 * Options for {@link runNewCommand}.
 *
 * @public
 */
export interface RunNewCommandOptions {
  argv: readonly string[];
  cwd: string;
  stdout: NodeJS.WritableStream;
  /**
   * Makes the prompter that asks for answers the flags do not give; it is
   * made only when something is missing, and closed before the install,
   * so Ctrl-C then reaches the install. Without it a missing answer is an
   * error, so scripts and CI never wait for input.
   */
  prompter?: () => Prompter;
  /** @defaultValue `yarn install` with the Yarn that runs the command */
  install?: InstallRunner;
  /** @defaultValue the templates shipped with this package */
  templatesDir?: string;
}

/**
 * `yarn new`: takes the answers from flags and, for the rest, from the
 * prompter; creates the package; prints the next steps.
 *
 * @throws the errors of {@link createNewPackage}, and
 *   {@link NewCommandError} for bad flags or a missing answer
 *   without a prompter.
 * @public
 */
export async function runNewCommand(
  options: RunNewCommandOptions,
): Promise<void> {
  const args = parseNewArgs(options.argv);
  const print = (line = '') => options.stdout.write(`${line}\n`);
  if (args.help) {
    printHelp(print);
    return;
  }
  const workspace = Workspace.find(options.cwd);
  const answers = await completeAnswers(
    args.answers,
    workspace,
    options.prompter,
  );
  const created = await createNewPackage({
    answers,
    cwd: options.cwd,
    install: args.skipInstall ? false : options.install,
    templatesDir: options.templatesDir,
    log: print,
  });
  const backend = workspace
    .packages()
    .find(p => p.dir === 'packages/backend' && p.manifest.name);
  print();
  for (const line of describeNextSteps(
    created,
    backend && { dir: backend.dir, name: backend.manifest.name! },
  )) {
    print(line);
  }
}

async function completeAnswers(
  given: Partial<NewAnswers> & Pick<NewAnswers, 'options'>,
  workspace: Workspace,
  createPrompter: (() => Prompter) | undefined,
): Promise<NewAnswers> {
  let prompter: Prompter | undefined;
  const ask = () => {
    if (!createPrompter) {
      return undefined;
    }
    prompter ??= createPrompter();
    return prompter;
  };
  try {
    const template = await chooseTemplate(given.template, ask);
    const unused = Object.keys(given.options).filter(
      name => !template.options.includes(name as NewTemplateOption),
    );
    if (unused.length > 0) {
      throw new NewCommandError(
        'NEW_INVALID_ARGUMENTS',
        `Template '${template.name}' takes ${quoteList(template.options, 'and')}, not ${quoteList(unused, 'and')}: remove that --option.`,
      );
    }
    // Flags are checked before any question, so a wrong flag is never
    // discovered only after the user has answered the rest.
    const problems = template.options.flatMap(option => {
      const value = given.options[option];
      return value === undefined ? [] : (checkId(option, value) ?? []);
    });
    if (problems.length > 0) {
      throw new NewCommandError('NEW_INVALID_ANSWER', problems.join('\n'));
    }
    if (given.options.pluginId !== undefined) {
      assertPluginIdFits(template, given.options.pluginId, workspace);
    }

    const answers: NewAnswers = {
      template: template.name,
      options: { ...given.options },
    };
    const missing = template.options.filter(
      option => given.options[option] === undefined,
    );
    if (missing.length > 0 && !ask()) {
      throw new NewCommandError(
        'NEW_MISSING_ANSWER',
        `Missing ${quoteList(missing, 'and')}: template '${template.name}' needs ${missing.map(o => `--option ${o}=<id>`).join(' ')}, or run yarn new in a terminal to be asked.`,
      );
    }
    for (const option of missing) {
      const last = option === missing[missing.length - 1];
      const label = optionLabels[option];
      answers.options[option] = await ask()!.input(
        `${label[0].toUpperCase()}${label.slice(1)}`,
        answer => {
          const options = { ...answers.options, [option]: answer };
          return (
            checkId(option, answer) ??
            describeUserError(() => {
              if (option === 'pluginId') {
                assertPluginIdFits(template, answer, workspace);
              }
              // Only the last answer completes the folder name, so a taken
              // folder is reported where changing the answer fixes it.
              if (last) {
                const { dir, packageName } = targetOf(template, {
                  ...answers,
                  options,
                });
                assertTargetFree(workspace, dir, packageName);
              }
            })
          );
        },
      );
    }
    return answers;
  } finally {
    prompter?.close();
  }
}

async function chooseTemplate(
  name: string | undefined,
  ask: () => Prompter | undefined,
): Promise<NewTemplate> {
  if (name !== undefined) {
    const template = findNewTemplate(name);
    if (!template) {
      throw new NewCommandError(
        'NEW_UNKNOWN_TEMPLATE',
        `Unknown template '${name}' in --select: choose one of ${listTemplateNames()}.`,
      );
    }
    return template;
  }
  const prompter = ask();
  if (!prompter) {
    throw new NewCommandError(
      'NEW_MISSING_ANSWER',
      `Missing template: pass --select <template> with one of ${listTemplateNames()}, or run yarn new in a terminal to be asked.`,
    );
  }
  const chosen = await prompter.select(
    'Which template?',
    newTemplates.map(t => ({ value: t.name, description: t.description })),
  );
  return findNewTemplate(chosen)!;
}

/**
 * The message of the user error `check` throws, for the prompt to show
 * before asking again; anything else is a bug and propagates.
 */
function describeUserError(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (isUserError(error)) {
      return error.message;
    }
    throw error;
  }
}

function printHelp(print: (line?: string) => void) {
  print('Usage: yarn new [--select <template>] [--option <name>=<id>]...');
  print();
  print('Creates a workspace package from a template, runs yarn install and');
  print('prints the next steps. Answers not given as flags are asked for in a');
  print('terminal; without one, they are required.');
  print();
  print('Templates:');
  for (const template of newTemplates) {
    print(`  ${template.name.padEnd(16)}${template.description}`);
    print(
      `  ${''.padEnd(16)}options: ${template.options.map(o => `${o}=<id>`).join(' ')}`,
    );
  }
  print();
  print('Flags:');
  print('  --select <template>     the template');
  print('  --option <name>=<id>    an id the template needs; repeat for each');
  print(
    '  --skip-install          create the files, leave yarn install to you',
  );
  print('  -h, --help              this text');
  print();
  print('Ids use letters, digits and single dashes, starting with a letter');
  print(
    `(the engine's rule), in lowercase; plugin ids have at most ${maxIdLength} characters.`,
  );
  print();
  print('Example:');
  print(
    '  yarn new --select backend-module --option pluginId=catalog --option moduleId=my-processor',
  );
}

/** Where the assembled backend lives, and its package name. */
export interface BackendPackage {
  dir: string;
  name: string;
}

/**
 * What to do with a package `yarn new` just made: install it if that was
 * skipped, add it to the backend, run it and test it.
 */
export function describeNextSteps(
  created: CreatedPackage,
  backend: BackendPackage | undefined,
): string[] {
  const { dir, packageName, tokens } = created;
  const steps: string[] = [];
  if (!created.installed) {
    steps.push('Link it into the workspace:\n  yarn install');
  }
  if (created.template === 'node-library') {
    const plugin = `@plinth/plugin-${tokens.pluginId}-backend`;
    steps.push(
      `Use it from the plugin, and register the extension point in its src/plugin.ts (see ${dir}/README.md):\n  yarn workspace ${plugin} add ${packageName}@workspace:^\n  env.registerExtensionPoint(${tokens.pluginIdCamel}ActionsExtensionPoint, { addActions(...actions) { ... } });`,
    );
  } else if (backend) {
    const added =
      created.template === 'backend-plugin'
        ? `; it then serves http://localhost:7007/api/${tokens.pluginId}/todos`
        : `, next to plugin '${tokens.pluginId}'${tokens.pluginId === 'catalog' ? '' : ', which must register the extension point'}`;
    steps.push(
      `Add it to the backend${added}:\n  yarn workspace ${backend.name} add ${packageName}@workspace:^\nand in ${backend.dir}/src/index.ts, before backend.start():\n  backend.add(import('${packageName}'));`,
    );
  }
  if (created.template === 'backend-plugin') {
    steps.push(`Run it alone:\n  yarn workspace ${packageName} start`);
  }
  // The trailing slash keeps Jest's pattern from matching the
  // plugin's modules, whose folders start with the plugin's.
  steps.push(`Test it:\n  yarn test ${dir}/`);
  return [
    `Created ${dir} (${packageName}) from the '${created.template}' template.`,
    '',
    'Next steps:',
    ...steps.flatMap((step, i) =>
      step
        .split('\n')
        .map((line, j) => (j === 0 ? `  ${i + 1}. ${line}` : `     ${line}`)),
    ),
  ];
}
