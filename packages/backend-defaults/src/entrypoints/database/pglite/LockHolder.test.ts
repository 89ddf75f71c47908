import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { LockHolder } from './LockHolder';

// The start time comes from /proc, which only Linux has.
const itOnLinux = process.platform === 'linux' ? it : it.skip;

describe('LockHolder', () => {
  it('reads back the text it writes for this process', async () => {
    const current = await LockHolder.current();

    const parsed = LockHolder.parse(current.format());

    expect(parsed).toEqual(current);
    expect(parsed).toMatchObject({
      pid: process.pid,
      hostname: os.hostname(),
    });
  });

  itOnLinux('records when this process started', async () => {
    expect((await LockHolder.current()).start).toMatch(/^[0-9a-f-]+:[0-9]+$/);
  });

  it('reads a lock file of an older Plinth, which holds only the pid', () => {
    expect(LockHolder.parse('42\n')).toMatchObject({
      pid: 42,
      hostname: undefined,
      start: undefined,
    });
  });

  it.each(['', '42', '42\nhostname=a', 'garbage\n', '0\n', '-1\n', '4x\n'])(
    'reads no holder from the incomplete or foreign text %j',
    text => {
      expect(LockHolder.parse(text)).toBeUndefined();
    },
  );

  it('tells a holder of another host from one of this host', () => {
    expect(LockHolder.parse('42\nhostname=elsewhere\n')?.isElsewhere()).toBe(
      true,
    );
    expect(
      LockHolder.parse(`42\nhostname=${os.hostname()}\n`)?.isElsewhere(),
    ).toBe(false);
    expect(LockHolder.parse('42\n')?.isElsewhere()).toBe(false);
  });

  it('reports a running holder as running', async () => {
    await expect((await LockHolder.current()).isRunning()).resolves.toBe(true);
    await expect(
      LockHolder.parse(`${process.ppid}\n`)?.isRunning(),
    ).resolves.toBe(true);
  });

  it('reports a holder whose process exited as not running', async () => {
    const pid = spawnSync(process.execPath, ['-e', '']).pid;

    await expect(LockHolder.parse(`${pid}\n`)?.isRunning()).resolves.toBe(
      false,
    );
  });

  itOnLinux(
    'reports a holder whose pid now belongs to another process as not running',
    async () => {
      const current = await LockHolder.current();
      const [bootId] = (current.start ?? '').split(':');

      await expect(
        LockHolder.parse(`${process.ppid}\nstart=${bootId}:1\n`)?.isRunning(),
      ).resolves.toBe(false);
    },
  );
});
