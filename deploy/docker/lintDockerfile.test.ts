import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintDockerfile } from './lintDockerfile';

const dockerfile = readFileSync(
  join(__dirname, '..', '..', 'Dockerfile'),
  'utf8',
);

/** The repository's Dockerfile with one text replaced. */
function changed(from: string | RegExp, to: string): string {
  const text = dockerfile.replace(from, to);
  expect(text).not.toBe(dockerfile);
  return text;
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex(line => line.includes(needle)) + 1;
}

describe('lintDockerfile', () => {
  it('accepts the repository Dockerfile', () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  it('reports a final stage that runs as root', () => {
    const text = changed('USER node', 'USER root');
    expect(lintDockerfile(text)).toEqual([
      {
        line: lineOf(text, 'USER root'),
        message:
          "The final stage runs as 'root'; end it with a non-root USER such as 'node'.",
      },
    ]);
  });

  it('reports a base image without a major version', () => {
    const text = changed('node:20-bookworm-slim', 'node:lts-slim');
    expect(lintDockerfile(text)).toEqual([
      {
        line: lineOf(text, 'FROM node:lts-slim'),
        message:
          "Base image 'node:lts-slim' does not pin a major version; use a tag that starts with it, such as 'node:20-bookworm-slim'.",
      },
    ]);
  });

  it('reports a secret in ENV', () => {
    const text = changed(
      'ENV NODE_ENV=production',
      'ENV NODE_ENV=production DB_PASSWORD=x',
    );
    expect(lintDockerfile(text)).toEqual([
      {
        line: lineOf(text, 'DB_PASSWORD'),
        message:
          "ENV 'DB_PASSWORD' looks like a secret, and ENV values stay in the image's history; pass it at run time from the environment or a mounted file.",
      },
    ]);
  });

  it('reports a final stage without a health check or init process', () => {
    const text = changed(/HEALTHCHECK [^]*?ENTRYPOINT[^\n]*\n/, '');
    expect(lintDockerfile(text).map(p => p.message)).toEqual([
      'The final stage has no HEALTHCHECK; add one on /.backstage/health/v1/readiness.',
      "The final stage's ENTRYPOINT does not start an init process (tini or dumb-init) in exec form; node as PID 1 neither reaps children nor gets default signal handling.",
    ]);
  });

  it("reports dockerfile-utils' syntax problems", () => {
    const text = changed('EXPOSE 7007', 'EXPOSE seven');
    expect(lintDockerfile(text)).toEqual([
      {
        line: lineOf(text, 'EXPOSE seven'),
        message: expect.stringContaining('(dockerfile-utils'),
      },
    ]);
  });
});
