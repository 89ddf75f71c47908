import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRootDir } from './loadConfigSources';

describe('findRootDir', () => {
  it('finds the nearest ancestor whose package.json has workspaces', () => {
    const dir = writeFiles({
      'package.json': '{ "name": "root", "workspaces": ["packages/*"] }',
      'packages/backend/package.json': '{ "name": "backend" }',
      'packages/backend/src/x.ts': '',
    });
    expect(findRootDir(path.join(dir, 'packages/backend/src'))).toBe(dir);
    expect(findRootDir(dir)).toBe(dir);
  });

  it('falls back to the starting directory outside a monorepo, skipping broken package.json files', () => {
    const dir = writeFiles({
      'package.json': 'not json',
      'app/package.json': '{ "name": "app" }',
    });
    expect(findRootDir(path.join(dir, 'app'))).toBe(path.join(dir, 'app'));
  });
});

const tempDirs: string[] = [];

/** A temporary directory holding `files` (path relative to it: content). */
function writeFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-config-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
