import { PassThrough } from 'node:stream';
import { createReadlinePrompter } from './createReadlinePrompter';

function terminal(lines: string[], end = true) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  input.write(lines.map(line => `${line}\n`).join(''));
  if (end) {
    input.end();
  }
  const prompter = createReadlinePrompter({ input, output });
  return { prompter, printed: () => printed, input };
}

const choices = [
  { value: 'backend-plugin', description: 'a plugin' },
  { value: 'node-library', description: 'a library' },
];

describe('createReadlinePrompter', () => {
  it('lists the choices and takes one by number', async () => {
    const { prompter, printed } = terminal(['2']);
    await expect(prompter.select('Which template?', choices)).resolves.toBe(
      'node-library',
    );
    expect(printed()).toBe(
      'Which template?\n  1) backend-plugin  a plugin\n  2) node-library    a library\nChoose 1-2: ',
    );
  });

  it('takes a choice by name and asks again after an invalid one', async () => {
    const { prompter, printed } = terminal(['7', '', ' backend-plugin ']);
    await expect(prompter.select('Which template?', choices)).resolves.toBe(
      'backend-plugin',
    );
    expect(printed()).toContain(
      "Choose 1-2: '7' is not one of the choices: enter a number from 1 to 2, or a name.\nChoose 1-2: '' is not one of the choices",
    );
  });

  it('shows the problem with an answer and asks again', async () => {
    const { prompter, printed } = terminal(['Bad Id', 'todo']);
    const answer = await prompter.input('Plugin id', value =>
      value === 'todo' ? undefined : `Invalid plugin id '${value}'.`,
    );
    expect(answer).toBe('todo');
    expect(printed()).toBe(
      "Plugin id: Invalid plugin id 'Bad Id'.\nPlugin id: ",
    );
  });

  it('answers questions asked after the input arrived, in order', async () => {
    const { prompter } = terminal(['1', 'todo']);
    await prompter.select('Which template?', choices);
    await expect(prompter.input('Plugin id', () => undefined)).resolves.toBe(
      'todo',
    );
  });

  it('cancels the pending question when the input ends', async () => {
    const { prompter } = terminal([]);
    await expect(prompter.input('Plugin id', () => undefined)).rejects.toThrow(
      'Cancelled at the prompt; nothing was created.',
    );
  });

  it('cancels a question that waits when the input ends later', async () => {
    const { prompter, input } = terminal([], false);
    const answer = prompter.input('Plugin id', () => undefined);
    input.end();
    await expect(answer).rejects.toMatchObject({
      name: 'NewCancelledError',
    });
  });
});
