import type { JsonValue } from '@plinth/catalog-model';
import { InputError, redactUrl } from '@plinth/errors';
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

// Parse errors say where, never what: the messages of JSON.parse and of
// the YAML parser quote the content around the problem, and these errors
// reach entities' status and the responses of the catalog's API.

const json: PlaceholderResolver = async params => {
  const { url, text: content } = await readText(params);
  try {
    return JSON.parse(content) as JsonValue;
  } catch (error) {
    const position = /at position (\d+)/.exec(String(error))?.[1];
    const where =
      position === undefined
        ? ''
        : ` at ${describePosition(content, Number(position))}`;
    throw new InputError(
      `'${redactUrl(url)}' is not valid JSON${where}. Fix the file, or use $text to embed it as a string.`,
    );
  }
};

const yaml: PlaceholderResolver = async params => {
  const { url, text: content } = await readText(params);
  const documents = parseAllDocuments(content);
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.length !== 1) {
    throw new InputError(
      `'${redactUrl(url)}' holds ${list.length} YAML documents, but $yaml embeds exactly one. Split the file, or use $text to embed it as a string.`,
    );
  }
  const [document] = list;
  const [error] = document.errors;
  if (error) {
    throw new InputError(
      `'${redactUrl(url)}' is not valid YAML at ${describePosition(content, error.pos[0])} (${error.code}). Fix the file, or use $text to embed it as a string.`,
    );
  }
  return document.toJS() as JsonValue;
};

/** `line L, column C` of a character offset, both counted from 1. */
function describePosition(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * The placeholders every catalog understands: `$text` embeds a file as a
 * string, `$json` and `$yaml` embed its parsed content.
 *
 * @internal
 */
export const builtinPlaceholderResolvers: Readonly<
  Record<string, PlaceholderResolver>
> = Object.freeze({ text, json, yaml });
