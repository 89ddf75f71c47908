import readline from 'node:readline';
import { NewCancelledError } from './errors';

const cancelledMessage = 'Cancelled at the prompt; nothing was created.';

/**
 * A {@link Prompter} on a terminal, or on any pair of streams: lines typed
 * ahead (or piped) answer the next questions in order. Ctrl-C or the end
 * of the input rejects the pending question with {@link NewCancelledError}.
 *
 * @example
 * ```ts
 * const prompter = createReadlinePrompter({ input: process.stdin, output: process.stdout });
 * const pluginId = await prompter.input('Plugin id', id => (id ? undefined : 'Give an id.'));
 * prompter.close();
 * ```
 * @public
 */
export function createReadlinePrompter(streams: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Prompter {
  const rl = readline.createInterface({
    input: streams.input,
    output: streams.output,
  });
  const typedAhead: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let closed = false;
  rl.on('line', line => {
    if (waiting) {
      const answer = waiting;
      waiting = undefined;
      answer(line);
    } else {
      typedAhead.push(line);
    }
  });
  rl.on('SIGINT', () => rl.close());
  rl.on('close', () => {
    closed = true;
    waiting?.(undefined);
  });

  const ask = async (prompt: string): Promise<string> => {
    rl.setPrompt(prompt);
    rl.prompt();
    const line =
      typedAhead.shift() ??
      (closed
        ? undefined
        : await new Promise<string | undefined>(resolve => {
            waiting = resolve;
          }));
    if (line === undefined) {
      streams.output.write('\n');
      throw new NewCancelledError(cancelledMessage);
    }
    return line.trim();
  };
  const say = (text: string) => streams.output.write(`${text}\n`);

  return {
    async select(question: string, choices: readonly PromptChoice[]) {
      say(question);
      const width = Math.max(...choices.map(c => c.value.length));
      choices.forEach((choice, i) =>
        say(`  ${i + 1}) ${choice.value.padEnd(width)}  ${choice.description}`),
      );
      for (;;) {
        const answer = await ask(`Choose 1-${choices.length}: `);
        const picked =
          choices[Number(answer) - 1] ??
          choices.find(choice => choice.value === answer);
        if (picked && answer !== '') {
          return picked.value;
        }
        say(
          `'${answer}' is not one of the choices: enter a number from 1 to ${choices.length}, or a name.`,
        );
      }
    },
    async input(question, check) {
      for (;;) {
        const answer = await ask(`${question}: `);
        const problem = check(answer);
        if (problem === undefined) {
          return answer;
        }
        say(problem);
      }
    },
    close() {
      rl.close();
    },
  };
}

/**
 * One choice of {@link Prompter.select}.
 *
 * @public
 */
export interface PromptChoice {
  value: string;
  description: string;
}

/**
 * Asks the user questions, one at a time.
 *
 * @public
 */
export interface Prompter {
  /** Lists the choices, numbered, until one is picked by number or value. */
  select(question: string, choices: readonly PromptChoice[]): Promise<string>;
  /**
   * Asks until `check` returns no problem for the trimmed answer; each
   * problem is shown before asking again.
   */
  input(
    question: string,
    check: (answer: string) => string | undefined,
  ): Promise<string>;
  close(): void;
}
