import { InputError } from '@plinth/errors';
import { InvalidConfigError } from '../rootConfig/InvalidConfigError';
import { MissingConfigError } from '../rootConfig/MissingConfigError';

/**
 * Runs one config getter and returns its value; a type error from the
 * config reader becomes an entry of `problems` instead, so that the auth
 * config reports every problem at once.
 */
export function readConfigValue<T>(
  problems: string[],
  read: () => T,
): T | undefined {
  try {
    return read();
  } catch (error) {
    if (
      error instanceof InvalidConfigError ||
      error instanceof MissingConfigError ||
      error instanceof InputError
    ) {
      problems.push(error.message);
      return undefined;
    }
    throw error;
  }
}
