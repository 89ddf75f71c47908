import { InputError } from '@plinth/errors';

const unitMs: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const shortForm = /^(\d{1,9}(?:\.\d{1,3})?)(ms|s|m|h)$/;
const isoForm =
  /^PT(?:(\d{1,9}(?:[.,]\d{1,3})?)H)?(?:(\d{1,9}(?:[.,]\d{1,3})?)M)?(?:(\d{1,9}(?:[.,]\d{1,3})?)S)?$/i;

/**
 * Reads the `wait` query parameter of a write route: how long the caller
 * is willing to wait for its write to be readable. A number with a unit
 * (`500ms`, `30s`, `2m`, `1h`) or an ISO 8601 duration of hours, minutes
 * and seconds (`PT30S`, `PT1M30S`). The result is capped at `maxWaitMs`,
 * `catalog.readYourWrites.maxWait`: a caller may ask for more, and gets
 * an answer, `202` if need be, once the cap is up.
 *
 * @returns the milliseconds to wait, or `undefined` without the parameter.
 * @throws {@link @plinth/errors#InputError} naming the parameter and the
 *   forms it takes, for any other value, and for zero.
 */
export function parseWaitParam(
  value: string | undefined,
  maxWaitMs: number,
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = toMilliseconds(value.trim());
  if (ms === undefined || ms <= 0) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    throw new InputError(
      `Invalid query parameter 'wait': expected a duration longer than zero such as '500ms', '30s', '2m' or the ISO 8601 'PT30S', got '${shown}'. Leave it out to answer without waiting.`,
    );
  }
  return Math.min(Math.ceil(ms), maxWaitMs);
}

function toMilliseconds(value: string): number | undefined {
  const short = shortForm.exec(value);
  if (short) {
    return Number(short[1]) * unitMs[short[2]];
  }
  const iso = isoForm.exec(value);
  if (!iso || value.length <= 2) {
    return undefined;
  }
  const [hours, minutes, seconds] = iso
    .slice(1)
    .map(part => (part === undefined ? 0 : Number(part.replace(',', '.'))));
  return hours * 3_600_000 + minutes * 60_000 + seconds * 1000;
}
