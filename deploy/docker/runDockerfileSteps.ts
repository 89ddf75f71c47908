/**
 * Runs the Dockerfile's steps without a Docker engine, which our machines
 * and CI do not have: each build stage's ARG, ENV, WORKDIR, COPY and RUN in
 * a directory standing for that stage's root filesystem (the context copied
 * with .dockerignore's rules), then the final stage's COPY --from steps into
 * its own directory, where its ENTRYPOINT and CMD start the backend on the
 * local PostgreSQL with the production config. It passes when the folder
 * holds no TypeScript transpiler, the HEALTHCHECK command reports healthy,
 * the backend stops with 0 on SIGTERM, and it wrote nothing into its folder
 * (Kubernetes mounts the root filesystem read-only).
 *
 * The final stage's RUN steps install Debian packages into the base image
 * and are only printed; its ENTRYPOINT runs when that binary exists here.
 *
 * Usage: node -r sucrase/register/ts deploy/docker/runDockerfileSteps.ts
 *   [Dockerfile, the repository's by default; the context is the repository]
 *   (PLINTH_TEST_POSTGRES_URL, default postgres://postgres\@127.0.0.1:5432/postgres)
 */
import dockerignore from '@balena/dockerignore';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, posix, relative, resolve } from 'node:path';
import {
  DockerfileParser,
  type Instruction,
  type JSONInstruction,
} from 'dockerfile-ast';
import { Client } from 'pg';

const root = resolve(__dirname, '..', '..');
const databasePrefix = 'plinth_deploy_image_';
const healthyWithinMs = 120_000;
const stopWithinMs = 60_000;

/** What a stage has built up: its filesystem root and its state. */
interface StageState {
  name: string;
  rootDir: string;
  args: Record<string, string>;
  env: Record<string, string>;
  workdir: string;
}

/** The final stage, ready to start. */
interface RuntimeImage {
  state: StageState;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[];
}

function log(message: string) {
  process.stdout.write(`runDockerfileSteps: ${message}\n`);
}

async function main() {
  const dockerfile = resolve(process.argv[2] ?? join(root, 'Dockerfile'));
  const stages = splitStages(readFileSync(dockerfile, 'utf8'));
  const work = mkdtempSync(join(tmpdir(), 'plinth-dockerfile-'));
  const postgres = new URL(
    process.env.PLINTH_TEST_POSTGRES_URL ??
      'postgres://postgres@127.0.0.1:5432/postgres',
  );
  try {
    const built = new Map<string, StageState>();
    for (const stage of stages.slice(0, -1)) {
      const state = runBuildStage(stage, work, built);
      built.set(state.name, state);
    }
    const image = assembleFinalStage(stages[stages.length - 1], work, built);
    await dropDatabases(postgres);
    await startAndCheck(image, postgres);
  } finally {
    await dropDatabases(postgres).catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

/** The instructions of each stage, each list starting with its FROM. */
function splitStages(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      stages.push([]);
    }
    stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

function newStage(from: Instruction, work: string, index: number): StageState {
  const [, as, name] = from.getArguments().map(a => a.getValue());
  const stageName = as?.toUpperCase() === 'AS' && name ? name : String(index);
  const rootDir = join(work, `stage-${stageName}`);
  mkdirSync(rootDir, { recursive: true });
  return { name: stageName, rootDir, args: {}, env: {}, workdir: '/' };
}

/** Follows the ARG, ENV, WORKDIR and COPY steps every stage may have. */
function applyCommonStep(
  instruction: Instruction,
  state: StageState,
  built: Map<string, StageState>,
): boolean {
  const values = () =>
    instruction.getArguments().map(a => substitute(a.getValue(), state));
  switch (instruction.getKeyword()) {
    case 'ARG':
      for (const value of values()) {
        const [name, ...rest] = value.split('=');
        const fallback = rest.length > 0 ? rest.join('=') : undefined;
        // `docker build --build-arg NAME` takes NAME from the environment.
        const given = process.env[name] ?? fallback;
        if (given !== undefined) {
          state.args[name] = given;
        }
      }
      return true;
    case 'ENV':
      for (const value of values()) {
        const [name, ...rest] = value.split('=');
        state.env[name] = rest.join('=').replace(/^"(.*)"$/, '$1');
      }
      return true;
    case 'WORKDIR':
      state.workdir = posix.resolve(state.workdir, values()[0]);
      mkdirSync(inStage(state, state.workdir), { recursive: true });
      return true;
    case 'COPY':
      copyStep(instruction, state, built);
      return true;
    default:
      return false;
  }
}

function runBuildStage(
  stage: Instruction[],
  work: string,
  built: Map<string, StageState>,
): StageState {
  const state = newStage(stage[0], work, built.size);
  log(`stage '${state.name}' (${stage[0].getArgumentsContent()})`);
  for (const instruction of stage.slice(1)) {
    if (applyCommonStep(instruction, state, built)) {
      continue;
    }
    if (instruction.getKeyword() !== 'RUN') {
      throw new Error(
        `Line ${instruction.getRange().start.line + 1}: cannot follow ${instruction.getKeyword()} in build stage '${state.name}' outside Docker; build stages may only use ARG, ENV, WORKDIR, COPY and RUN.`,
      );
    }
    const command = instruction.getArgumentsContent() ?? '';
    log(`RUN ${command}`);
    const result = spawnSync('/bin/sh', ['-c', command], {
      cwd: inStage(state, state.workdir),
      env: { ...process.env, ...state.args, ...state.env },
      stdio: 'inherit',
    });
    if (result.status !== 0) {
      throw new Error(
        `Line ${instruction.getRange().start.line + 1}: RUN ${command} failed with ${result.status ?? result.signal}.`,
      );
    }
  }
  return state;
}

function assembleFinalStage(
  stage: Instruction[],
  work: string,
  built: Map<string, StageState>,
): RuntimeImage {
  const state = newStage(stage[0], work, built.size);
  log(`stage '${state.name}' (${stage[0].getArgumentsContent()})`);
  const image: RuntimeImage = {
    state,
    entrypoint: [],
    cmd: [],
    healthcheck: [],
  };
  for (const instruction of stage.slice(1)) {
    if (applyCommonStep(instruction, state, built)) {
      continue;
    }
    const keyword = instruction.getKeyword();
    const json = () =>
      (instruction as JSONInstruction)
        .getJSONStrings()
        .map(s => s.getJSONValue());
    if (keyword === 'ENTRYPOINT') {
      image.entrypoint = json();
    } else if (keyword === 'CMD') {
      image.cmd = json();
    } else if (keyword === 'HEALTHCHECK') {
      const content = instruction.getArgumentsContent() ?? '';
      image.healthcheck = JSON.parse(
        content.replace(/^CMD\s+/, ''),
      ) as string[];
    } else {
      log(
        `${keyword} ${instruction.getArgumentsContent()}: applies inside the image only, not followed here`,
      );
    }
  }
  if (image.cmd.length === 0 || image.healthcheck.length === 0) {
    throw new Error(
      `The final stage '${state.name}' needs an exec-form CMD and a HEALTHCHECK CMD for this script to start and check it.`,
    );
  }
  return image;
}

/** COPY [--from=stage] src... dest, with .dockerignore applied to the context. */
function copyStep(
  instruction: Instruction,
  state: StageState,
  built: Map<string, StageState>,
) {
  const copy = instruction as JSONInstruction;
  const from = copy
    .getFlags()
    .find(f => f.getName() === 'from')
    ?.getValue();
  const paths = copy
    .getArguments()
    .map(a => substitute(a.getValue(), state))
    .filter(a => !a.startsWith('--'));
  const destination = posix.resolve(state.workdir, paths.pop()!);
  const source = from ? built.get(from) : undefined;
  if (from && !source) {
    throw new Error(
      `Line ${instruction.getRange().start.line + 1}: COPY --from='${from}' names no earlier stage; stages so far: ${[...built.keys()].join(', ')}.`,
    );
  }
  const ignore = source ? undefined : readDockerignore();
  for (const path of paths) {
    const sourcePath = source
      ? inStage(source, posix.resolve(source.workdir, path))
      : resolve(root, path);
    if (!existsSync(sourcePath)) {
      throw new Error(
        `Line ${instruction.getRange().start.line + 1}: COPY source '${path}' does not exist${source ? ` in stage '${source.name}' (looked at ${sourcePath})` : ' in the build context'}.`,
      );
    }
    log(`COPY ${from ? `--from=${from} ` : ''}${path} ${destination}`);
    cpSync(sourcePath, inStage(state, destination), {
      recursive: true,
      filter: file =>
        !ignore || file === root || !ignore.ignores(relative(root, file)),
    });
  }
}

function readDockerignore() {
  const file = join(root, '.dockerignore');
  return dockerignore().add(
    existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [],
  );
}

/** `${NAME}`, `$NAME` and `${NAME:-default}` from the stage's ARG and ENV. */
function substitute(value: string, state: StageState): string {
  const vars = { ...state.args, ...state.env };
  return value.replace(
    /\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g,
    (_, braced: string, fallback: string | undefined, bare: string) =>
      vars[braced ?? bare] || (fallback ?? ''),
  );
}

function inStage(state: StageState, containerPath: string): string {
  return join(state.rootDir, containerPath);
}

/**
 * Starts ENTRYPOINT + CMD in the final stage's WORKDIR, polls the
 * HEALTHCHECK until it passes, then stops it with SIGTERM.
 */
async function startAndCheck(image: RuntimeImage, postgres: URL) {
  const { state } = image;
  const cwd = inStage(state, state.workdir);
  const transpilers = ['sucrase', 'ts-node', 'typescript'].filter(name =>
    existsSync(join(cwd, 'node_modules', name)),
  );
  if (transpilers.length > 0) {
    throw new Error(
      `The image holds TypeScript tooling (${transpilers.join(', ')} in node_modules); the deployable folder must carry production dependencies only.`,
    );
  }
  const filesBefore = listFiles(cwd);
  const port = await findFreePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmpdir(),
    ...state.env,
    APP_CONFIG_backend_listen_port: String(port),
    APP_CONFIG_backend_database_prefix: JSON.stringify(databasePrefix),
    BACKEND_BASE_URL: `http://127.0.0.1:${port}`,
    APP_BASE_URL: 'http://127.0.0.1:3000',
    POSTGRES_HOST: postgres.hostname,
    POSTGRES_PORT: postgres.port || '5432',
    POSTGRES_USER: decodeURIComponent(postgres.username),
    POSTGRES_PASSWORD: decodeURIComponent(postgres.password),
    BACKEND_SECRET: randomBytes(32).toString('hex'),
  };
  const entrypoint = image.entrypoint.length > 0 ? image.entrypoint : [];
  const command =
    entrypoint.length > 0 && existsSync(entrypoint[0])
      ? [...entrypoint, ...image.cmd]
      : image.cmd;
  if (command === image.cmd && entrypoint.length > 0) {
    log(
      `ENTRYPOINT ${entrypoint[0]} is not installed here; starting CMD alone`,
    );
  }
  log(`starting ${command.join(' ')} in ${cwd}`);
  const child = spawn(command[0], command.slice(1), {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  try {
    const startedAt = performance.now();
    let healthy = false;
    while (!healthy && performance.now() - startedAt < healthyWithinMs) {
      if (child.exitCode !== null) {
        throw new Error(
          `The image's CMD exited with ${child.exitCode} before it was healthy:\n${output}`,
        );
      }
      healthy =
        spawnSync(image.healthcheck[0], image.healthcheck.slice(1), {
          cwd,
          env,
          timeout: 5000,
        }).status === 0;
      if (!healthy) {
        await new Promise(done => setTimeout(done, 1000));
      }
    }
    if (!healthy) {
      throw new Error(
        `The HEALTHCHECK did not pass within ${healthyWithinMs / 1000} s:\n${output}`,
      );
    }
    log(
      `healthy after ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
    );
  } finally {
    child.kill('SIGTERM');
  }
  const code = await Promise.race([
    exited,
    new Promise<'timeout'>(done =>
      setTimeout(() => done('timeout'), stopWithinMs).unref(),
    ),
  ]);
  if (code !== 0) {
    child.kill('SIGKILL');
    throw new Error(
      `The backend did not stop with 0 within ${stopWithinMs / 1000} s of SIGTERM (got ${code}):\n${output}`,
    );
  }
  const written = [...listFiles(cwd)].filter(file => !filesBefore.has(file));
  if (written.length > 0) {
    throw new Error(
      `The backend wrote into its folder, which is read-only in Kubernetes: ${written.slice(0, 10).join(', ')}. Write to /tmp or make the path configurable.`,
    );
  }
  log('stopped with 0 on SIGTERM; wrote nothing into its folder');
}

function listFiles(dir: string): Set<string> {
  return new Set(
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).map(String),
  );
}

function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function dropDatabases(url: URL) {
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [databasePrefix],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `runDockerfileSteps: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
