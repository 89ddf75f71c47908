import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './workspacePackages';

/** The shell blocks of the README's "Install, run and test", in order. */
function readInstallBlocks(): string[] {
  const readme = fs.readFileSync(
    path.join(repositoryRoot, 'README.md'),
    'utf8',
  );
  const section = readme
    .split('\n## Install, run and test\n')[1]
    .split('\n## ')[0];
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map(match => match[1]);
}

describe("the README's install commands", () => {
  it('point Corepack and Yarn at a mirror before anything downloads', () => {
    const blocks = readInstallBlocks();
    const firstDownload = blocks.findIndex(block =>
      /^(corepack enable|yarn)\b/m.test(block),
    );
    const mirror = blocks.findIndex(block =>
      block.includes('COREPACK_NPM_REGISTRY='),
    );
    expect(mirror).toBeGreaterThanOrEqual(0);
    expect(mirror).toBeLessThan(firstDownload);
    expect(blocks[mirror]).toContain('YARN_NPM_REGISTRY_SERVER=');
  });

  it("read npm's registry even inside a workspace folder, where npm refuses workspace commands", () => {
    const mirror = readInstallBlocks().find(block =>
      block.includes('COREPACK_NPM_REGISTRY='),
    )!;
    const printed = execFileSync(
      'bash',
      [
        '-euc',
        `${mirror}\necho "$COREPACK_NPM_REGISTRY $YARN_NPM_REGISTRY_SERVER"`,
      ],
      {
        cwd: path.join(repositoryRoot, 'packages/backend'),
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          npm_config_registry: 'https://npm.mirror.example/',
        },
        encoding: 'utf8',
      },
    );
    expect(printed.trim()).toBe(
      'https://npm.mirror.example https://npm.mirror.example',
    );
  });
});
