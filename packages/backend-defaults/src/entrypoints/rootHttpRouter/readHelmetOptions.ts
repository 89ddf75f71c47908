import type { Config } from '@plinth/backend-plugin-api';
import helmet, { type HelmetOptions } from 'helmet';
import { InvalidConfigError } from '../rootConfig/InvalidConfigError';
import { ConfigReader } from '../rootConfig/ConfigReader';

type Directives = NonNullable<
  Exclude<HelmetOptions['contentSecurityPolicy'], boolean>
>['directives'];

/**
 * Reads `backend.csp` into helmet options: helmet's default
 * Content-Security-Policy with each configured directive replacing the
 * default one, and `false` removing it.
 *
 * @throws {@link InvalidConfigError} naming the directive when a value is not
 *   a list of strings or `false`, or when helmet rejects the result (such as
 *   an unquoted `self`).
 */
export function readHelmetOptions(config: Config): HelmetOptions {
  const csp = config.getOptionalConfig('backend.csp');
  const directives: Directives = {};
  for (const name of csp?.keys() ?? []) {
    const key = `backend.csp.${name}`;
    const value = config.get(key);
    if (value === false) {
      directives[name] =
        name === 'default-src' || name === 'defaultSrc'
          ? helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc
          : null;
    } else if (Array.isArray(value)) {
      directives[name] = config.getOptionalStringArray(key) ?? [];
    } else {
      throw new InvalidConfigError(
        key,
        ConfigReader.findContext(config, key),
        'a list of strings, or false to remove the directive',
        value,
      );
    }
  }
  const options: HelmetOptions = {
    contentSecurityPolicy: { useDefaults: true, directives },
  };
  try {
    helmet(options);
  } catch (error) {
    // helmet checks directive names and values when it is created.
    throw new InvalidConfigError(
      'backend.csp',
      ConfigReader.findContext(config, 'backend.csp'),
      `directives helmet accepts (${(error as Error).message})`,
      csp?.get(),
    );
  }
  return options;
}
