import { DiscoveryConfigError } from './DiscoveryConfigError';

const pluginIdPlaceholder = /\{\{\s*pluginId\s*\}\}/g;

/**
 * Checks that `value` from config at `key` is an http(s) URL once
 * `{{pluginId}}` is filled in, and returns it without trailing slashes.
 * `example` shows a valid value in the error.
 *
 * @throws {@link DiscoveryConfigError} naming the key and the value.
 */
export function toBaseUrlTemplate(
  value: unknown,
  key: string,
  example = 'http://catalog:7007/api/{{pluginId}}',
): string {
  const expected = `an http or https URL such as '${example}'`;
  if (typeof value !== 'string') {
    throw DiscoveryConfigError.invalidValue(key, expected, value);
  }
  let url: URL;
  try {
    url = new URL(fillBaseUrlTemplate(value, 'plugin'));
  } catch {
    throw DiscoveryConfigError.invalidValue(key, expected, value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw DiscoveryConfigError.invalidValue(key, expected, value);
  }
  return value.replace(/\/+$/, '');
}

/** The template with every `{{pluginId}}` (or `{{ pluginId }}`) replaced. */
export function fillBaseUrlTemplate(
  template: string,
  pluginId: string,
): string {
  return template.replace(pluginIdPlaceholder, pluginId);
}
