import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeDevelopmentToken } from './writeDevelopmentToken';

let dir: string;
/** The token file of each test, in a directory of its own. */
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plinth-dev-token-'));
  file = join(dir, '.plinth/dev-token');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a process that writes `token` to `file`, runs `then`, and exits. */
function writeInChild(token: string, then = '') {
  execFileSync(
    process.execPath,
    [
      '-r',
      'sucrase/register/ts',
      '-e',
      `require(${JSON.stringify(require.resolve('./writeDevelopmentToken'))})
        .writeDevelopmentToken(${JSON.stringify(file)})({ token: ${JSON.stringify(token)}, subject: 'development' })
        .then(() => { ${then} process.exit(0); });`,
    ],
    { stdio: 'pipe' },
  );
}

describe('writeDevelopmentToken', () => {
  it('writes the token to the file, creating its directory, readable by its owner only', async () => {
    await writeDevelopmentToken(file)({
      token: 'abc123',
      subject: 'development',
    });
    expect(readFileSync(file, 'utf8')).toBe('abc123\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('makes an existing token file readable by its owner only', async () => {
    mkdirSync(dirname(file));
    writeFileSync(file, 'old\n', { mode: 0o644 });
    await writeDevelopmentToken(file)({ token: 'new', subject: 'development' });
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('removes the token file when the process exits, since the next start issues another token', () => {
    writeInChild('abc123');
    expect(existsSync(file)).toBe(false);
  });

  it('leaves a token file that another backend has written since', () => {
    writeInChild(
      'abc123',
      `require('node:fs').writeFileSync(${JSON.stringify(file)}, 'other\\n');`,
    );
    expect(readFileSync(file, 'utf8')).toBe('other\n');
  });
});
