import { ConfigFileError } from './ConfigFileError';

/**
 * The paths given with `--config <path>` or `--config=<path>`, in order.
 */
export function parseConfigArgs(argv: readonly string[]): {
  paths: string[];
  problems: ConfigFileError[];
} {
  const paths: string[] = [];
  const problems: ConfigFileError[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--config=')) {
      paths.push(arg.slice('--config='.length));
    } else if (arg === '--config') {
      const next = argv[i + 1];
      if (next === undefined) {
        problems.push(ConfigFileError.missingPath());
      } else {
        paths.push(next);
        i++;
      }
    }
  }
  return { paths, problems };
}
