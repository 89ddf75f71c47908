import { parseArgs } from 'node:util';
import { quoteList } from '@plinth/errors';
import { NewCommandError } from '../errors';
import type { NewAnswers, NewTemplateOption } from './newTemplates';

/** What the command line of `yarn new` says. */
export interface NewArgs {
  /** The answers given as flags; the rest are asked for. */
  answers: Partial<NewAnswers> & Pick<NewAnswers, 'options'>;
  skipInstall: boolean;
  help: boolean;
}

const optionNames: readonly NewTemplateOption[] = ['pluginId', 'moduleId'];
const usage =
  'yarn new takes --select <template>, --option <name>=<value> (repeatable), --skip-install and --help';

/**
 * Reads `--select <template>`, `--option <name>=<value>`, `--skip-install`
 * and `--help`, the flags Backstage's `yarn new` takes.
 * @throws NewCommandError `NEW_INVALID_ARGUMENTS` naming the flag that is wrong and how to write it.
 */
export function parseNewArgs(argv: readonly string[]): NewArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        select: { type: 'string', multiple: true },
        option: { type: 'string', multiple: true },
        'skip-install': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new NewCommandError(
      'NEW_INVALID_ARGUMENTS',
      `${describeParseError(error)}: ${usage}.`,
    );
  }
  const selected = [...new Set(values.select ?? [])];
  if (selected.length > 1) {
    throw new NewCommandError(
      'NEW_INVALID_ARGUMENTS',
      `Flag '--select' is given twice, as ${quoteList(selected, 'and')}: give one template.`,
    );
  }
  const options: NewAnswers['options'] = {};
  for (const pair of values.option ?? []) {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (!optionNames.includes(name as NewTemplateOption)) {
      throw new NewCommandError(
        'NEW_INVALID_ARGUMENTS',
        `Unknown option '${name}' in --option ${pair}: the options are ${quoteList(optionNames, 'and')}.`,
      );
    }
    if (equals < 0) {
      throw new NewCommandError(
        'NEW_INVALID_ARGUMENTS',
        `Missing value in --option ${pair}: write it as --option ${name}=<id>.`,
      );
    }
    const value = pair.slice(equals + 1);
    const earlier = options[name as NewTemplateOption];
    if (earlier !== undefined && earlier !== value) {
      throw new NewCommandError(
        'NEW_INVALID_ARGUMENTS',
        `Option '${name}' is given twice, as '${earlier}' and '${value}': give it once.`,
      );
    }
    options[name as NewTemplateOption] = value;
  }
  return {
    answers: {
      ...(selected.length === 0 ? {} : { template: selected[0] }),
      options,
    },
    skipInstall: values['skip-install'] ?? false,
    help: values.help ?? false,
  };
}

/** Node's parse errors, in this command's words. */
function describeParseError(error: unknown): string {
  const { code, message = '' } = error as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown flag '${flag}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take')
        ? `Flag '${flag}' takes no value`
        : `Flag '${flag}' needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument '${quoted}'`;
    default:
      return `Invalid arguments (${message})`;
  }
}
