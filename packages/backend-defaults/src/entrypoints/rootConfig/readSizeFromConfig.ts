import type { Config } from '@plinth/backend-plugin-api';
import { ConfigReader } from './ConfigReader';
import { InvalidConfigError } from './InvalidConfigError';

/** Bytes per unit, 1024-based as Express's body limits count them. */
const unitBytes: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

const sizePattern = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i;

/**
 * Reads a size in bytes from config, written as a whole number of bytes
 * (`1048576`, or `'1048576'` as environment values are) or with a unit
 * (`'1mb'`, `'1.5 KB'`; units `b`, `kb`, `mb`, `gb`, 1024-based, any case).
 * A fraction of a byte is rounded down.
 *
 * @returns `undefined` when the key is not set.
 * @throws {@link InvalidConfigError} naming the key and the file its value
 *   came from, when the value is neither.
 */
export function readSizeFromConfig(
  config: Config,
  key: string,
): number | undefined {
  const value = config.getOptional(key);
  if (value === undefined) {
    return undefined;
  }
  const bytes = parseSize(value);
  if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes < 0) {
    throw new InvalidConfigError(
      key,
      ConfigReader.findContext(config, key),
      "a whole number of bytes or a size such as '1mb' (units b, kb, mb, gb)",
      value,
    );
  }
  return bytes;
}

function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = sizePattern.exec(value.trim());
  return match
    ? Math.floor(Number(match[1]) * unitBytes[(match[2] ?? 'b').toLowerCase()])
    : undefined;
}
