import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { ValidateCommandError } from '../errors';
import {
  formatValidationReport,
  type BatchFile,
  type ValidationReport,
} from './formatValidationReport';
import { parseValidateArgs, type ValidateArgs } from './parseValidateArgs';

/**
 * Options for {@link runValidateEntitiesCommand}.
 *
 * @public
 */
export interface RunValidateEntitiesCommandOptions {
  /** The arguments after `validate-entities`, such as `['catalog/*.yaml']`. */
  argv: readonly string[];
  /** Read for `PLINTH_URL` and `PLINTH_TOKEN`. */
  env: NodeJS.ProcessEnv;
  /** Where relative file paths and globs start. */
  cwd: string;
  stdout: NodeJS.WritableStream;
}

/** Where the catalog serves batch validation. */
const validatePath = '/api/catalog/validate-entities';

/**
 * `yarn plinth validate-entities <files...>`: sends every document of the
 * files, as one YAML batch, to the catalog's `POST /validate-entities` of
 * a running backend, so relations between the files resolve and a ref
 * defined in two files is caught; prints per file and document what
 * storing them would do (text, or with `--format json` the backend's
 * answer with `file` and `line` added).
 *
 * @returns the exit code: 0 when every document is valid, 1 when any is
 *   invalid.
 * @throws ValidateCommandError for bad flags, files that do not exist or
 *   cannot be read, a backend that does not answer, or one that refuses
 *   the request; `yarn plinth` exits with 2 for it.
 * @public
 */
export async function runValidateEntitiesCommand(
  options: RunValidateEntitiesCommandOptions,
): Promise<number> {
  const args = parseValidateArgs(options.argv, options.env);
  const names = await expandPatterns(args.patterns, options.cwd);
  const contents = await Promise.all(
    names.map(name => readBatchFile(options.cwd, name)),
  );
  const files: BatchFile[] = [];
  let text = '';
  contents.forEach((content, i) => {
    if (i > 0) {
      text += text.endsWith('\n') ? '---\n' : '\n---\n';
    }
    files.push({ name: names[i], firstLine: countLines(text) + 1 });
    text += content;
  });
  const report = await send(args, text);
  options.stdout.write(formatValidationReport(report, files, args.format));
  return report.valid ? 0 : 1;
}

/** Paths first as given, then each glob's matches in order; each file once. */
async function expandPatterns(
  patterns: readonly string[],
  cwd: string,
): Promise<string[]> {
  const names = new Set<string>();
  for (const pattern of patterns) {
    if (!isDynamicPattern(pattern)) {
      names.add(pattern);
      continue;
    }
    const matches = await glob(pattern, { cwd, onlyFiles: true });
    if (matches.length === 0) {
      throw new ValidateCommandError(
        'VALIDATE_NO_FILES',
        `No file matches '${pattern}' in ${cwd}. Check the pattern, and quote it so that the shell passes it on unexpanded.`,
      );
    }
    matches.sort().forEach(match => names.add(match));
  }
  return [...names];
}

async function readBatchFile(cwd: string, name: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, name), 'utf8');
  } catch (error) {
    throw new ValidateCommandError(
      'VALIDATE_UNREADABLE_FILE',
      `Cannot read '${name}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the path.`,
      error,
    );
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    count += 1;
  }
  return count;
}

async function send(
  args: ValidateArgs,
  text: string,
): Promise<ValidationReport> {
  const query = args.location
    ? `?location=${encodeURIComponent(args.location)}`
    : '';
  let response: Response;
  try {
    response = await fetch(`${args.url}${validatePath}${query}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${args.token}`,
        'content-type': 'application/yaml',
      },
      body: text,
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } })
      .cause;
    throw new ValidateCommandError(
      'VALIDATE_BACKEND_UNREACHABLE',
      `Could not validate entities: no backend answered at '${args.url}' (${cause?.code ?? cause?.message ?? (error as Error).message}). Start it with yarn start, or pass its URL with --url or PLINTH_URL.`,
      error,
    );
  }
  const body = await response.text();
  const parsed = parseJson(body);
  if (response.ok && isReport(parsed)) {
    return parsed;
  }
  const errorMessage = (parsed as { error?: { message?: unknown } } | undefined)
    ?.error?.message;
  const hint =
    response.status === 404
      ? ` Check that the backend at '${args.url}' runs a catalog that serves ${validatePath}.`
      : '';
  throw new ValidateCommandError(
    'VALIDATE_REQUEST_REFUSED',
    `Could not validate entities: the backend answered ${response.status}: ${typeof errorMessage === 'string' ? errorMessage : body.slice(0, 200)}${hint}`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isReport(value: unknown): value is ValidationReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { documents?: unknown }).documents)
  );
}
