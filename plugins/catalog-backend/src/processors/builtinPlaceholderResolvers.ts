import type { JsonValue } from '@plinth/catalog-model';
import { InputError } from '@plinth/errors';
import type {
  PlaceholderResolver,
  PlaceholderResolverParams,
} from '@plinth/plugin-catalog-node';
import { parseAllDocuments } from 'yaml';

async function readText(
  params: PlaceholderResolverParams,
): Promise<{ url: string; text: string }> {
  const { key, value, baseUrl, read, resolveUrl } = params;
  if (typeof value !== 'string') {
    throw new InputError(
      `$${key} needs a string, an absolute URL or a path relative to the entity's file, got ${JSON.stringify(value)}.`,
    );
  }
  const url = resolveUrl(value, baseUrl);
  return { url, text: (await read(url)).toString('utf8') };
}

const text: PlaceholderResolver = async params => (await readText(params)).text;

const json: PlaceholderResolver = async params => {
  const { url, text: content } = await readText(params);
  try {
    return JSON.parse(content) as JsonValue;
  } catch (error) {
    throw new InputError(
      `'${url}' is not valid JSON. Fix the file, or use $text to embed it as a string.`,
      error,
    );
  }
};

const yaml: PlaceholderResolver = async params => {
  const { url, text: content } = await readText(params);
  const documents = parseAllDocuments(content);
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.length !== 1) {
    throw new InputError(
      `'${url}' holds ${list.length} YAML documents, but $yaml embeds exactly one. Split the file, or use $text to embed it as a string.`,
    );
  }
  const [document] = list;
  const [error] = document.errors;
  if (error) {
    throw new InputError(
      `'${url}' is not valid YAML. Fix the file, or use $text to embed it as a string.`,
      error,
    );
  }
  return document.toJS() as JsonValue;
};

/**
 * The placeholders every catalog understands: `$text` embeds a file as a
 * string, `$json` and `$yaml` embed its parsed content.
 *
 * @internal
 */
export const builtinPlaceholderResolvers: Readonly<
  Record<string, PlaceholderResolver>
> = Object.freeze({ text, json, yaml });
