import { parseNewArgs } from './parseNewArgs';

const usage =
  'yarn new takes --select <template>, --option <name>=<value> (repeatable), --skip-install and --help.';

describe('parseNewArgs', () => {
  it('reads the template, every option and the switches', () => {
    expect(
      parseNewArgs([
        '--select',
        'backend-module',
        '--option',
        'pluginId=catalog',
        '--option=moduleId=my-processor',
        '--skip-install',
      ]),
    ).toEqual({
      answers: {
        template: 'backend-module',
        options: { pluginId: 'catalog', moduleId: 'my-processor' },
      },
      skipInstall: true,
      help: false,
    });
  });

  it('leaves out what the flags do not give, to be asked for', () => {
    expect(parseNewArgs([])).toEqual({
      answers: { options: {} },
      skipInstall: false,
      help: false,
    });
    expect(parseNewArgs(['-h']).help).toBe(true);
  });

  it('keeps an option value that contains an equals sign, for the id check to report', () => {
    expect(parseNewArgs(['--option', 'pluginId=a=b']).answers.options).toEqual({
      pluginId: 'a=b',
    });
  });

  it.each([
    [['--template', 'x'], `Unknown flag '--template': ${usage}`],
    [['--select'], `Flag '--select' needs a value: ${usage}`],
    [['--help=yes'], `Flag '--help' takes no value: ${usage}`],
    [['backend-plugin'], `Unexpected argument 'backend-plugin': ${usage}`],
    [
      ['--select', 'backend-plugin', '--select', 'node-library'],
      "Flag '--select' is given twice, as 'backend-plugin' and 'node-library': give one template.",
    ],
    [
      ['--option', 'pluginid=todo'],
      "Unknown option 'pluginid' in --option pluginid=todo: the options are 'pluginId' and 'moduleId'.",
    ],
    [
      ['--option', 'pluginId'],
      'Missing value in --option pluginId: write it as --option pluginId=<id>.',
    ],
    [
      ['--option', 'pluginId=a', '--option', 'pluginId=b'],
      "Option 'pluginId' is given twice, as 'a' and 'b': give it once.",
    ],
  ])('rejects %j', (argv, message) => {
    expect(() => parseNewArgs(argv)).toThrow(message);
    expect(thrownBy(() => parseNewArgs(argv))).toMatchObject({
      name: 'NewCommandError',
      code: 'NEW_INVALID_ARGUMENTS',
    });
  });
});

/** What `run` throws. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
