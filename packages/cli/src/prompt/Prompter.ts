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
