import { describeLocationRef } from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import type { LocationSpec } from '@plinth/plugin-catalog-node';

/** Longer targets are refused: no code host needs them, and each is stored and logged. */
const maxTargetLength = 2048;

/**
 * Query parameters that carry credentials in the URLs of code hosts and
 * object stores: access tokens, API keys, and the signatures of presigned
 * URLs (S3's `X-Amz-*`, Google Cloud's `X-Goog-*`, Azure's `sig`).
 */
const credentialParameter =
  /^(?:(?:access|private|id|refresh|auth|api)[-_]?token|token|auth|authorization|api[-_]?key|apikey|key|password|passwd|pwd|secret|client[-_]secret|sig|signature|x-(?:amz|goog)-(?:signature|credential|security-token))$/i;

/**
 * Why the target of a `url` location cannot be used, or `undefined` when
 * it can: it must be an absolute `http:` or `https:` URL (another scheme,
 * such as `file:`, would let a location read what the reader serves for
 * it), at most 2048 characters, without credentials. Location targets are
 * shown to every catalog reader, in `GET /locations` and the location
 * annotations of entities, and written to logs, so a credential in one is
 * a leaked credential.
 */
export function findUrlTargetProblem(target: string): string | undefined {
  if (target.length > maxTargetLength) {
    return `it is ${target.length} characters long, more than the ${maxTargetLength} a location target may have`;
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return "it is not an absolute URL, which a 'url' location needs; write it like 'https://github.com/org/repo/blob/main/catalog-info.yaml'";
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `its scheme '${url.protocol}' is not 'http:' or 'https:', the only ones a 'url' location may have`;
  }
  const credentials =
    url.username || url.password ? 'a user name or password' : undefined;
  const parameter = [...url.searchParams.keys()].find(name =>
    credentialParameter.test(name),
  );
  const carried =
    credentials ??
    (parameter === undefined
      ? undefined
      : `the query parameter '${parameter}'`);
  if (carried) {
    return `it carries a credential in ${carried}, and location targets are shown to every catalog reader and written to logs; remove it from the URL and give it to the URL reader instead, in the 'headers' of the rule for host '${url.host}' in 'backend.reading.allow'`;
  }
  return undefined;
}

/**
 * Checks the target of a `url` location that comes from outside the
 * config, or that a Location entity names.
 *
 * @param where - names the location in the message, such as
 *   `the body of POST /locations`.
 * @throws InputError naming the redacted target and the problem.
 */
export function assertUrlTarget(location: LocationSpec, where: string): void {
  const problem =
    location.type === 'url' ? findUrlTargetProblem(location.target) : undefined;
  if (problem) {
    throw new InputError(
      `Invalid location '${shorten(describeLocationRef(location))}' in ${where}: ${problem}.`,
    );
  }
}

/** A redacted ref cut for a message, which needs only to identify it. */
function shorten(ref: string): string {
  return ref.length > 200 ? `${ref.slice(0, 200)}...` : ref;
}
