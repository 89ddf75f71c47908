import { resolveYarnCommand } from './resolveYarnCommand';

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
