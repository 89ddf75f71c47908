import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatabaseError } from '../../../errors';
import {
  DataDirectoryLock,
  incompleteLockGraceMillis,
  lockFileName,
  lockHeartbeatMillis,
  remoteLockStaleMillis,
} from './DataDirectoryLock';
import { LockHolder } from './LockHolder';

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

function exitedPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

const fix =
  'PGlite allows one process per directory; stop that process, or set backend.database.connection.directory to another directory.';

// The start time check reads /proc, which only Linux has.
const itOnLinux = process.platform === 'linux' ? it : it.skip;

describe('DataDirectoryLock', () => {
  it('creates the directory and a lock file naming this process, removed on release', async () => {
    const directory = path.join(root, 'fresh', 'data');
    const lockFile = path.join(directory, lockFileName);

    const lock = await DataDirectoryLock.acquire(directory);

    const text = await fs.readFile(lockFile, 'utf8');
    expect(text).toBe((await LockHolder.current()).format());
    expect(text).toMatch(
      new RegExp(`^${process.pid}\nhostname=${os.hostname()}\n`),
    );
    await lock.release();
    await expect(fs.stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.readdir(directory)).toEqual([]);
  });

  it('refuses a directory whose lock belongs to another live process', async () => {
    const directory = await newDirectory('other-process');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, `${process.ppid}\n`);

    await expect(DataDirectoryLock.acquire(directory)).rejects.toThrow(
      `Cannot open the PGlite data directory '${directory}': it is in use by process ${process.ppid} (lock file '${lockFile}'). ` +
        `${fix} If no such process runs, delete the lock file.`,
    );
  });

  it('refuses a directory whose lock belongs to a process of another host', async () => {
    const directory = await newDirectory('other-host');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, `${exitedPid()}\nhostname=elsewhere\n`);
    const pid = Number((await fs.readFile(lockFile, 'utf8')).split('\n')[0]);

    const error = await DataDirectoryLock.acquire(directory).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ code: 'DATABASE_LOCKED' });
    expect(error).toMatchObject({ pid, hostname: 'elsewhere', lockFile });
    expect((error as Error).message).toBe(
      `Cannot open the PGlite data directory '${directory}': it is in use by process ${pid} on host 'elsewhere' (lock file '${lockFile}'). ` +
        `${fix} This host cannot see the processes of that one, so the lock is taken over once it has not been refreshed for 30 seconds.`,
    );
  });

  it('takes over a lock of another host that has not been refreshed', async () => {
    const directory = await newDirectory('other-host-stale');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, `${exitedPid()}\nhostname=elsewhere\n`);
    const longAgo = new Date(Date.now() - remoteLockStaleMillis - 1000);
    await fs.utimes(lockFile, longAgo, longAgo);

    const lock = await DataDirectoryLock.acquire(directory);

    await expect(fs.readFile(lockFile, 'utf8')).resolves.toMatch(
      new RegExp(`^${process.pid}\nhostname=`),
    );
    await lock.release();
  });

  it('refreshes its lock file while it holds the directory', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    const directory = await newDirectory('heartbeat');
    const lockFile = path.join(directory, lockFileName);
    const lock = await DataDirectoryLock.acquire(directory);
    const longAgo = new Date(Date.now() - 60_000);
    await fs.utimes(lockFile, longAgo, longAgo);
    const utimes = jest.spyOn(fs, 'utimes');

    jest.advanceTimersByTime(lockHeartbeatMillis);

    expect(utimes).toHaveBeenCalledWith(
      lockFile,
      expect.any(Date),
      expect.any(Date),
    );
    jest.useRealTimers();
    await lock.release();
  });

  it('refuses a directory this process already holds, whatever its lock file says', async () => {
    const directory = await newDirectory('same-process');
    const lockFile = path.join(directory, lockFileName);
    const lock = await DataDirectoryLock.acquire(directory);
    await fs.rm(lockFile);

    await expect(DataDirectoryLock.acquire(directory)).rejects.toThrow(
      `Cannot open the PGlite data directory '${directory}': another database manager of this process (pid ${process.pid}) has it open. ` +
        'PGlite allows one instance per directory; close that database manager first, or set backend.database.connection.directory to another directory.',
    );
    await lock.release();
  });

  it('refuses a directory this process holds through another path', async () => {
    const directory = await newDirectory('linked');
    const link = path.join(root, 'link-to-linked');
    await fs.symlink(directory, link);
    const lock = await DataDirectoryLock.acquire(directory);

    await expect(DataDirectoryLock.acquire(link)).rejects.toThrow(
      `Cannot open the PGlite data directory '${link}': another database manager of this process (pid ${process.pid}) has it open.`,
    );
    await lock.release();
  });

  it('lets this process take a directory again once it is released', async () => {
    const directory = await newDirectory('again');
    const first = await DataDirectoryLock.acquire(directory);
    await first.release();

    const second = await DataDirectoryLock.acquire(directory);
    await first.release();

    await expect(
      fs.readFile(path.join(directory, lockFileName), 'utf8'),
    ).resolves.toBe((await LockHolder.current()).format());
    await second.release();
  });

  it('lets this process take a directory once a refused attempt is resolved', async () => {
    const directory = await newDirectory('refused-then-free');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, `${process.ppid}\n`);
    await expect(DataDirectoryLock.acquire(directory)).rejects.toBeInstanceOf(
      DatabaseError,
    );
    await fs.rm(lockFile);

    const lock = await DataDirectoryLock.acquire(directory);

    await lock.release();
  });

  it('takes over the lock of a process that has exited', async () => {
    const directory = await newDirectory('stale');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, `${exitedPid()}\nhostname=${os.hostname()}\n`);

    const lock = await DataDirectoryLock.acquire(directory);

    await expect(fs.readFile(lockFile, 'utf8')).resolves.toBe(
      (await LockHolder.current()).format(),
    );
    await lock.release();
    expect(await fs.readdir(directory)).toEqual([]);
  });

  it('takes over a lock with this pid left by an earlier process, such as a restarted container', async () => {
    const directory = await newDirectory('own-pid');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, `${process.pid}\n`);

    const lock = await DataDirectoryLock.acquire(directory);

    await expect(fs.readFile(lockFile, 'utf8')).resolves.toBe(
      (await LockHolder.current()).format(),
    );
    await lock.release();
  });

  itOnLinux(
    'takes over a lock whose pid now belongs to a process that started later',
    async () => {
      const directory = await newDirectory('reused-pid');
      const lockFile = path.join(directory, lockFileName);
      const bootId = await fs.readFile(
        '/proc/sys/kernel/random/boot_id',
        'utf8',
      );
      await fs.writeFile(
        lockFile,
        `${process.ppid}\nhostname=${os.hostname()}\nstart=${bootId.trim()}:1\n`,
      );

      const lock = await DataDirectoryLock.acquire(directory);

      await lock.release();
    },
  );

  it.each([
    ['empty', ''],
    ['cut short', `${process.ppid}`],
  ])(
    'leaves a recent %s lock file alone, as its writer may not have finished',
    async (_, text) => {
      const directory = await newDirectory(`incomplete-${text.length}`);
      const lockFile = path.join(directory, lockFileName);
      await fs.writeFile(lockFile, text);

      await expect(DataDirectoryLock.acquire(directory)).rejects.toThrow(
        `Cannot open the PGlite data directory '${directory}': its lock file '${lockFile}' is empty or incomplete, so another process may be taking the lock right now. ` +
          'Start again later; once the file is 10 seconds old it counts as left behind and is taken over, or delete it if no process uses the directory.',
      );
      await expect(fs.readFile(lockFile, 'utf8')).resolves.toBe(text);
    },
  );

  it('takes over an incomplete lock file once it is old', async () => {
    const directory = await newDirectory('old-incomplete');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, 'garbage');
    const old = new Date(Date.now() - incompleteLockGraceMillis - 1000);
    await fs.utimes(lockFile, old, old);

    const lock = await DataDirectoryLock.acquire(directory);

    await lock.release();
  });

  it('leaves the lock to another process that took the stale lock over first', async () => {
    const directory = await newDirectory('two-takers');
    const lockFile = path.join(directory, lockFileName);
    await fs.writeFile(lockFile, `${exitedPid()}\n`);
    const otherTaker = `${process.ppid}\n`;
    const readFile = fs.readFile;
    let raced = false;
    jest
      .spyOn(fs, 'readFile')
      .mockImplementation(async (...args: Parameters<typeof fs.readFile>) => {
        const text = await readFile(...args);
        if (args[0] === lockFile && !raced) {
          raced = true;
          // Another process, which read the stale lock too, takes it over
          // between this read and whatever this one does next.
          await fs.rm(lockFile);
          await fs.writeFile(lockFile, otherTaker);
        }
        return text;
      });

    await expect(DataDirectoryLock.acquire(directory)).rejects.toThrow(
      `Cannot open the PGlite data directory '${directory}': it is in use by process ${process.ppid} (lock file '${lockFile}').`,
    );
    await expect(readFile(lockFile, 'utf8')).resolves.toBe(otherTaker);
    expect(await fs.readdir(directory)).toEqual([lockFileName]);
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
