import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataDirectoryLock, lockFileName } from './DataDirectoryLock';

let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'plinth-lock-'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function newDirectory(name: string) {
  const directory = path.join(root, name);
  await fs.mkdir(directory, { recursive: true });
  return directory;
}

describe('DataDirectoryLock', () => {
  it('creates the directory and a lock file holding this pid, removed on release', async () => {
    const directory = path.join(root, 'fresh', 'data');
    const lockFile = path.join(directory, lockFileName);

    const lock = await DataDirectoryLock.acquire(directory);

    await expect(fs.readFile(lockFile, 'utf8')).resolves.toBe(
      `${process.pid}\n`,
    );
    await lock.release();
    await expect(fs.stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a directory whose lock belongs to another live process', async () => {
    const directory = await newDirectory('other-process');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, `${process.ppid}\n`);

    await expect(DataDirectoryLock.acquire(directory)).rejects.toThrow(
      `Cannot open the PGlite data directory '${directory}': it is in use by process ${process.ppid} (lock file '${lockFile}'). ` +
        'PGlite allows one process per directory; stop that process, or set backend.database.connection.directory to another directory. ' +
        'If no such process runs, delete the lock file.',
    );
  });

  it('refuses a directory this process already holds', async () => {
    const directory = await newDirectory('same-process');
    const lockFile = path.join(directory, lockFileName);
    const lock = await DataDirectoryLock.acquire(directory);

    await expect(DataDirectoryLock.acquire(directory)).rejects.toThrow(
      `Cannot open the PGlite data directory '${directory}': it is in use by this process (pid ${process.pid}) through another database manager (lock file '${lockFile}'). ` +
        'PGlite allows one process per directory; stop that process, or set backend.database.connection.directory to another directory. ' +
        'If no such process runs, delete the lock file.',
    );
    await lock.release();
  });

  it('takes over the lock of a process that has exited', async () => {
    const directory = await newDirectory('stale');
    const lockFile = path.join(directory, lockFileName);
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    await fs.writeFile(lockFile, `${exited}\n`);

    const lock = await DataDirectoryLock.acquire(directory);

    await expect(fs.readFile(lockFile, 'utf8')).resolves.toBe(
      `${process.pid}\n`,
    );
    await lock.release();
  });

  it('takes over a lock file without a pid', async () => {
    const directory = await newDirectory('unreadable');
    await fs.writeFile(path.join(directory, lockFileName), 'garbage');

    const lock = await DataDirectoryLock.acquire(directory);

    await lock.release();
  });

  it('keeps a lock file that another process took over before release', async () => {
    const directory = await newDirectory('taken-over');
    const lockFile = path.join(directory, lockFileName);
    const lock = await DataDirectoryLock.acquire(directory);
    await fs.writeFile(lockFile, `${process.ppid}\n`);

    await lock.release();

    await expect(fs.readFile(lockFile, 'utf8')).resolves.toBe(
      `${process.ppid}\n`,
    );
  });
});
