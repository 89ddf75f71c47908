import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDevelopmentToken } from './writeDevelopmentToken';

describe('writeDevelopmentToken', () => {
  it('writes the token to the file, creating its directory, readable by its owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-dev-token-'));
    try {
      const file = join(dir, '.plinth/dev-token');
      await writeDevelopmentToken(file)({ token: 'abc123' });
      expect(readFileSync(file, 'utf8')).toBe('abc123\n');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes an existing token file readable by its owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-dev-token-'));
    try {
      const file = join(dir, '.plinth/dev-token');
      mkdirSync(join(dir, '.plinth'));
      writeFileSync(file, 'old\n', { mode: 0o644 });
      await writeDevelopmentToken(file)({ token: 'new' });
      expect(readFileSync(file, 'utf8')).toBe('new\n');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
