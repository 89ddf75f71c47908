/** The options of `yarn bench:catalog`. */
export interface BenchArgs {
  /** Entities to generate. */
  count: number;
  /** The databases to run on, in order. */
  databases: Array<'pglite' | 'postgres'>;
  /** Set when `--only` chose one database. */
  only?: 'pglite' | 'postgres';
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** How long ingestion may take before the run fails. */
  timeoutSeconds: number;
  /**
   * Whether the read routes also run with permissions on and the owners
   * policy, compared with permissions off: `include` after the other
   * figures, `only` instead of them, `skip` not at all.
   */
  permissions: 'include' | 'only' | 'skip';
  /** The usage text, when `--help` was given. */
  help?: string;
}

const usage = `Usage: yarn bench:catalog [N] [options]
  N                     entities to generate (default 10000, at least 20)
  --only <database>     pglite or postgres (default: both)
  --duration <s>        each of the three rounds per route (default 10)
  --warmup <s>          warm-up per route, not measured (default 2)
  --connections <n>     concurrent connections (default 10)
  --timeout <s>         longest ingestion before the run fails (default 300)
  --permissions <part>  the read routes with permissions on and the owners
                        policy, side by side with permissions off: include
                        (default), only (skip the other figures) or skip
  --quick               a short try: N 2000, --duration 3, --warmup 1,
                        unless given
PostgreSQL: PLINTH_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

const numericOptions = {
  '--duration': 'durationSeconds',
  '--warmup': 'warmupSeconds',
  '--connections': 'connections',
  '--timeout': 'timeoutSeconds',
} as const;

/**
 * Reads the command line of `yarn bench:catalog`.
 * @throws Error naming the argument and the accepted values.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    count: 10_000,
    databases: ['pglite', 'postgres'],
    connections: 10,
    durationSeconds: 10,
    warmupSeconds: 2,
    timeoutSeconds: 300,
    permissions: 'include',
  };
  const given = new Set<string>();
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      args.help = usage;
    } else if (arg === '--only') {
      const value = argv[++i];
      if (value !== 'pglite' && value !== 'postgres') {
        throw new Error(
          `Invalid value for '--only': ${JSON.stringify(value)}; use 'pglite' or 'postgres'.\n${usage}`,
        );
      }
      args.only = value;
      args.databases = [value];
    } else if (arg === '--permissions') {
      const value = argv[++i];
      if (value !== 'include' && value !== 'only' && value !== 'skip') {
        throw new Error(
          `Invalid value for '--permissions': ${JSON.stringify(value)}; use 'include', 'only' or 'skip'.\n${usage}`,
        );
      }
      args.permissions = value;
    } else if (arg === '--quick') {
      quick = true;
    } else if (arg in numericOptions) {
      const key = numericOptions[arg as keyof typeof numericOptions];
      args[key] = readNumber(arg, argv[++i], key === 'warmupSeconds' ? 0 : 1);
      given.add(key);
    } else if (/^\d+$/.test(arg)) {
      args.count = readNumber('N', arg, 20);
      given.add('count');
    } else {
      throw new Error(`Unknown argument '${arg}'.\n${usage}`);
    }
  }
  if (quick) {
    for (const [key, value] of Object.entries(quickDefaults)) {
      if (!given.has(key)) {
        args[key as keyof typeof quickDefaults] = value;
      }
    }
  }
  return args;
}

const quickDefaults = {
  count: 2000,
  durationSeconds: 3,
  warmupSeconds: 1,
} as const;

function readNumber(
  name: string,
  value: string | undefined,
  min: number,
): number {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number < min) {
    throw new Error(
      `Invalid value for '${name}': ${JSON.stringify(value)}; give an integer of at least ${min}.\n${usage}`,
    );
  }
  return number;
}
