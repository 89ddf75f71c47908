import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const register = path.resolve(__dirname, '../register/ts.js');

describe('register/ts', () => {
  let dir: string;
  let cache: string;
  let source: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-register-'));
    cache = path.join(dir, 'cache');
    source = path.join(dir, 'main.ts');
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function run(): string {
    return execFileSync(process.execPath, ['-r', register, source], {
      env: { ...process.env, PLINTH_TRANSPILE_CACHE: cache },
      encoding: 'utf8',
    });
  }

  function entries(): string[] {
    return fs.readdirSync(cache).map(name => path.join(cache, name));
  }

  it('runs a TypeScript file and keeps its output in the cache', () => {
    fs.writeFileSync(source, "const n: number = 1;\nconsole.log('n', n);\n");
    expect(run()).toBe('n 1\n');
    expect(entries()).toHaveLength(1);
    expect(fs.readFileSync(entries()[0], 'utf8')).toContain(
      'sourceMappingURL=data:application/json',
    );
  });

  it('runs the cached output while the file is unchanged', () => {
    fs.writeFileSync(source, "console.log('from source');\n");
    run();
    const [entry] = entries();
    const cached = fs.readFileSync(entry, 'utf8');
    fs.writeFileSync(entry, cached.replace('from source', 'from cache'));
    expect(run()).toBe('from cache\n');
  });

  it('transpiles an edited file again and replaces its entry', () => {
    fs.writeFileSync(source, "console.log('before');\n");
    run();
    fs.writeFileSync(
      source,
      "const word: string = 'after';\nconsole.log(word);\n",
    );
    expect(run()).toBe('after\n');
    expect(entries()).toHaveLength(1);
  });
});
