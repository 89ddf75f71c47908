import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveYarnCommand, runYarnInstall } from './runYarnInstall';

describe('runYarnInstall', () => {
  const saved = process.env.npm_execpath;
  afterEach(() => {
    if (saved === undefined) {
      delete process.env.npm_execpath;
    } else {
      process.env.npm_execpath = saved;
    }
  });

  it('reports a Yarn that cannot start as a failed install, with the reason', async () => {
    process.env.npm_execpath = '/nonexistent/bin/yarn';
    await expect(runYarnInstall('/')).resolves.toEqual({
      exitCode: 127,
      output:
        "Could not start '/nonexistent/bin/yarn': spawn /nonexistent/bin/yarn ENOENT",
    });
  });

  it("captures the output and exit code of Yarn's run", async () => {
    process.env.npm_execpath = path.join(
      __dirname,
      '../__fixtures__/fakeYarn.js',
    );
    await expect(runYarnInstall(os.tmpdir())).resolves.toEqual({
      exitCode: 3,
      output: `args: install --no-immutable\ncwd: ${fs.realpathSync(os.tmpdir())}\n`,
    });
  });
});

describe('resolveYarnCommand', () => {
  it('runs the JavaScript file of the Yarn that runs the script with node', () => {
    expect(
      resolveYarnCommand({ npm_execpath: '/cache/yarn-4.18.1.cjs' }),
    ).toEqual([process.execPath, ['/cache/yarn-4.18.1.cjs']]);
  });

  it("runs Yarn's executable shim directly", () => {
    expect(resolveYarnCommand({ npm_execpath: '/tmp/xfs-1/yarn' })).toEqual([
      '/tmp/xfs-1/yarn',
      [],
    ]);
  });

  it("falls back to Corepack's Yarn outside Yarn, or under npm", () => {
    expect(resolveYarnCommand({})).toEqual(['corepack', ['yarn']]);
    expect(
      resolveYarnCommand({
        npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      }),
    ).toEqual(['corepack', ['yarn']]);
  });
});
