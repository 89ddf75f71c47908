import {
  type Config,
  describeIdRule,
  isValidId,
} from '@plinth/backend-plugin-api';
import { readConfigValue } from './readConfigValue';

/**
 * A static token from `backend.auth.externalAccess`.
 */
export interface StaticAccessEntry {
  token: string;
  /** The caller's name; the principal is `external:<subject>`. */
  subject: string;
  /** The plugins the token may call; all when absent. */
  pluginIds?: string[];
}

const accessTypes = ['static'];
const tokenPattern = /^\S{8,}$/;
const generateHint = `generate one with: node -p "require('node:crypto').randomBytes(24).toString('base64url')"`;

/**
 * Reads and validates `backend.auth.externalAccess`, adding one line per
 * problem to `problems`.
 */
export function readExternalAccessConfig(
  config: Config,
  problems: string[],
): StaticAccessEntry[] {
  const entries =
    readConfigValue(problems, () =>
      config.getOptionalConfigArray('backend.auth.externalAccess'),
    ) ?? [];
  const result: StaticAccessEntry[] = [];
  const firstIndexByToken = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = `backend.auth.externalAccess[${index}]`;
    const parsed = readEntry(entry, key, problems);
    if (!parsed) {
      return;
    }
    const first = firstIndexByToken.get(parsed.token);
    if (first !== undefined) {
      problems.push(
        `Invalid config at '${key}.options.token': it repeats the token of 'backend.auth.externalAccess[${first}]'; give each entry its own token.`,
      );
      return;
    }
    firstIndexByToken.set(parsed.token, index);
    result.push(parsed);
  });
  return result;
}

function readEntry(
  entry: Config,
  key: string,
  problems: string[],
): StaticAccessEntry | undefined {
  const before = problems.length;
  const type = readConfigValue(problems, () => entry.getOptionalString('type'));
  if (type === undefined && problems.length === before) {
    problems.push(
      `Missing config at '${key}.type': set it to 'static', the only supported access type.`,
    );
  } else if (type !== undefined && !accessTypes.includes(type)) {
    problems.push(
      `Invalid config at '${key}.type': unknown access type '${type}'; the only supported type is 'static'.`,
    );
  }
  const token = readToken(entry, key, problems);
  const subject = readSubject(entry, key, problems);
  const pluginIds = readRestrictions(entry, key, problems);
  if (problems.length > before || !token || !subject) {
    return undefined;
  }
  return pluginIds ? { token, subject, pluginIds } : { token, subject };
}

function readToken(entry: Config, key: string, problems: string[]) {
  const before = problems.length;
  const token = readConfigValue(problems, () =>
    entry.getOptionalString('options.token'),
  );
  if (problems.length > before) {
    return undefined;
  }
  if (token === undefined) {
    problems.push(
      `Missing config at '${key}.options.token': a static access entry needs a token of at least 8 characters without whitespace; ${generateHint}`,
    );
    return undefined;
  }
  if (!tokenPattern.test(token)) {
    // The value is a secret, so the message describes it without quoting it.
    problems.push(
      `Invalid config at '${key}.options.token': the token must be at least 8 characters without whitespace; ${generateHint}`,
    );
    return undefined;
  }
  return token;
}

function readSubject(entry: Config, key: string, problems: string[]) {
  const before = problems.length;
  const subject = readConfigValue(problems, () =>
    entry.getOptionalString('options.subject'),
  );
  if (subject === undefined && problems.length === before) {
    problems.push(
      `Missing config at '${key}.options.subject': name the caller that uses this token, such as 'ci'; it authenticates as 'external:<subject>'.`,
    );
  }
  return subject;
}

function readRestrictions(
  entry: Config,
  key: string,
  problems: string[],
): string[] | undefined {
  const restrictions = readConfigValue(problems, () =>
    entry.getOptionalConfigArray('accessRestrictions'),
  );
  if (!restrictions) {
    return undefined;
  }
  if (restrictions.length === 0) {
    problems.push(
      `Invalid config at '${key}.accessRestrictions': the list is empty; list the plugins the token may call, or remove the key to allow every plugin.`,
    );
    return undefined;
  }
  return restrictions.flatMap((restriction, index) => {
    const at = `${key}.accessRestrictions[${index}]`;
    const unknown = restriction.keys().filter(k => k !== 'plugin');
    if (unknown.length > 0) {
      problems.push(
        `Invalid config at '${at}': unsupported restriction ${unknown.map(k => `'${k}'`).join(', ')}; only 'plugin' restrictions are supported; remove it, as it would restrict nothing.`,
      );
    }
    const before = problems.length;
    const plugin = readConfigValue(problems, () =>
      restriction.getOptionalString('plugin'),
    );
    if (problems.length > before) {
      return [];
    }
    if (plugin === undefined) {
      problems.push(
        `Missing config at '${at}.plugin': each restriction names a plugin the token may call, such as 'catalog'.`,
      );
      return [];
    }
    if (!isValidId('plugin id', plugin)) {
      problems.push(
        `Invalid config at '${at}.plugin': '${plugin}' is not a plugin id; use ${describeIdRule('plugin id')}.`,
      );
      return [];
    }
    return [plugin];
  });
}
