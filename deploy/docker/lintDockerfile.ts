/**
 * Lints the Dockerfile: dockerfile-utils' validator (the syntax and
 * argument checks of the Docker language server) plus the rules this image
 * must keep, which no generic linter knows.
 *
 * Usage: node -r sucrase/register/ts deploy/docker/lintDockerfile.ts [Dockerfile]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DockerfileParser,
  type Instruction,
  type JSONInstruction,
} from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

/** One thing wrong with a Dockerfile, at a 1-based line. */
export interface DockerfileProblem {
  line: number;
  message: string;
}

const secretName = /SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|API_?KEY/i;
const initProcesses = ['tini', 'dumb-init'];

/**
 * Every problem of the Dockerfile `text`, in line order; empty when it
 * passes.
 */
export function lintDockerfile(text: string): DockerfileProblem[] {
  const problems: DockerfileProblem[] = validate(text).map(diagnostic => ({
    line: diagnostic.range.start.line + 1,
    message: `${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value} (dockerfile-utils ${String(diagnostic.code)})`,
  }));
  const stages = splitStages(text);
  for (const stage of stages) {
    problems.push(...checkBaseImage(stage[0]));
    problems.push(...checkNoSecrets(stage));
  }
  const final = stages[stages.length - 1];
  if (final) {
    problems.push(...checkFinalStage(final));
  }
  return problems.sort((a, b) => a.line - b.line);
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

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

/**
 * A base image must name its major version, so that a rebuild cannot move
 * the backend to another Node.js or Debian release unnoticed.
 */
function checkBaseImage(from: Instruction): DockerfileProblem[] {
  const image = from.getArguments()[0]?.getValue() ?? '';
  const [, tag = ''] = /^[^:@]+(?::([^@]+))?/.exec(image) ?? [];
  if (/^\d/.test(tag)) {
    return [];
  }
  return [
    {
      line: lineOf(from),
      message: `Base image '${image}' does not pin a major version; use a tag that starts with it, such as 'node:20-bookworm-slim'.`,
    },
  ];
}

/**
 * ENV values and ARG defaults stay readable in the image and its history;
 * secrets come from the environment or mounted files at run time.
 */
function checkNoSecrets(stage: Instruction[]): DockerfileProblem[] {
  const problems: DockerfileProblem[] = [];
  for (const instruction of stage) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'ENV' && keyword !== 'ARG') {
      continue;
    }
    for (const argument of instruction.getArguments()) {
      const name = argument.getValue().split('=')[0];
      if (secretName.test(name)) {
        problems.push({
          line: lineOf(instruction),
          message: `${keyword} '${name}' looks like a secret, and ${keyword} values stay in the image's history; pass it at run time from the environment or a mounted file.`,
        });
      }
    }
  }
  return problems;
}

/** The image that runs: non-root, health-checked, under an init process. */
function checkFinalStage(stage: Instruction[]): DockerfileProblem[] {
  const problems: DockerfileProblem[] = [];
  const from = stage[0];
  const last = (keyword: string) =>
    [...stage].reverse().find(i => i.getKeyword() === keyword);

  const user = last('USER');
  const userName = user?.getArguments()[0]?.getValue().split(':')[0];
  if (!user || userName === 'root' || userName === '0') {
    problems.push({
      line: user ? lineOf(user) : lineOf(from),
      message: `The final stage runs as ${user ? `'${userName}'` : 'root (no USER)'}; end it with a non-root USER such as 'node'.`,
    });
  }

  const healthcheck = last('HEALTHCHECK');
  if (
    !healthcheck ||
    healthcheck.getArguments()[0]?.getValue().toUpperCase() === 'NONE'
  ) {
    problems.push({
      line: healthcheck ? lineOf(healthcheck) : lineOf(from),
      message:
        'The final stage has no HEALTHCHECK; add one on /.backstage/health/v1/readiness.',
    });
  }

  const entrypoint = last('ENTRYPOINT') as JSONInstruction | undefined;
  const init = entrypoint?.getJSONStrings()[0]?.getJSONValue() ?? '';
  if (!initProcesses.some(name => init.split('/').pop() === name)) {
    problems.push({
      line: entrypoint ? lineOf(entrypoint) : lineOf(from),
      message: `The final stage's ENTRYPOINT does not start an init process (${initProcesses.join(' or ')}) in exec form; node as PID 1 neither reaps children nor gets default signal handling.`,
    });
  }

  const nodeEnv = stage
    .filter(i => i.getKeyword() === 'ENV')
    .flatMap(i => i.getArguments().map(a => a.getValue()))
    .includes('NODE_ENV=production');
  if (!nodeEnv) {
    problems.push({
      line: lineOf(from),
      message: 'The final stage does not set ENV NODE_ENV=production.',
    });
  }
  return problems;
}

if (require.main === module) {
  const file = resolve(process.argv[2] ?? 'Dockerfile');
  const problems = lintDockerfile(readFileSync(file, 'utf8'));
  for (const { line, message } of problems) {
    process.stderr.write(`${file}:${line}: ${message}\n`);
  }
  process.stdout.write(
    `lintDockerfile: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}\n`,
  );
  process.exitCode = problems.length > 0 ? 1 : 0;
}
