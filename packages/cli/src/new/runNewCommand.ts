import { InputError } from '@plinth/errors';
import { isUserError } from './isUserError';
import { checkId, maxIdLength } from './checkId';
import { createNewPackage } from './createNewPackage';
import { describeNextSteps } from './describeNextSteps';
import type { NewAnswers } from './NewAnswers';
import {
  findNewTemplate,
  listTemplateNames,
  newTemplates,
  optionLabels,
  type NewTemplate,
} from './newTemplates';
import { parseNewArgs } from './parseNewArgs';
import { planNewPackage } from './planNewPackage';
import { quoteList } from './quoteList';
import type { InstallRunner } from './runYarnInstall';
import { Workspace } from './Workspace';
import type { Prompter } from '../prompt/Prompter';

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
   * Asks for answers the flags do not give; without one, a missing answer
   * is an error, so scripts and CI never wait for input.
   */
  prompter?: Prompter;
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
 *   {@link @plinth/errors#InputError} for bad flags or a missing answer
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
    options.templatesDir,
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
  prompter: Prompter | undefined,
  templatesDir: string | undefined,
): Promise<NewAnswers> {
  let template: NewTemplate | undefined;
  if (given.template !== undefined) {
    template = findNewTemplate(given.template);
    if (!template) {
      throw new InputError(
        `Unknown template '${given.template}' in --select: choose one of ${listTemplateNames()}.`,
      );
    }
  } else if (prompter) {
    const name = await prompter.select(
      'Which template?',
      newTemplates.map(t => ({ value: t.name, description: t.description })),
    );
    template = findNewTemplate(name)!;
  } else {
    throw new InputError(
      `Missing template: pass --select <template> with one of ${listTemplateNames()}, or run yarn new in a terminal to be asked.`,
    );
  }
  const unused = Object.keys(given.options).filter(
    name => !template.options.includes(name as never),
  );
  if (unused.length > 0) {
    throw new InputError(
      `Template '${template.name}' takes ${quoteList(template.options)}, not ${quoteList(unused)}: remove that --option.`,
    );
  }
  const answers: NewAnswers = {
    template: template.name,
    options: { ...given.options },
  };
  const missing = template.options.filter(o => given.options[o] === undefined);
  if (missing.length > 0 && !prompter) {
    throw new InputError(
      `Missing ${quoteList(missing)}: template '${template.name}' needs ${missing.map(o => `--option ${o}=<id>`).join(' ')}, or run yarn new in a terminal to be asked.`,
    );
  }
  for (const option of missing) {
    const last = option === missing[missing.length - 1];
    const label = optionLabels[option];
    answers.options[option] = await prompter!.input(
      `${label[0].toUpperCase()}${label.slice(1)}`,
      answer =>
        checkId(option, answer) ??
        (last
          ? describePlanProblem(
              { ...answers, options: { ...answers.options, [option]: answer } },
              workspace,
              templatesDir,
            )
          : undefined),
    );
  }
  return answers;
}

/**
 * Why these answers cannot make a package (a taken folder, say), so the
 * prompt can ask again instead of failing after the last question.
 */
function describePlanProblem(
  answers: NewAnswers,
  workspace: Workspace,
  templatesDir: string | undefined,
): string | undefined {
  try {
    planNewPackage(answers, workspace, templatesDir);
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
    `(the engine's rule), in lowercase, at most ${maxIdLength} characters.`,
  );
  print();
  print('Example:');
  print(
    '  yarn new --select backend-module --option pluginId=catalog --option moduleId=my-processor',
  );
}
