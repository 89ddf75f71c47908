import fs from 'node:fs/promises';
import os from 'node:os';

/**
 * The process that holds a data directory lock, as the lock file records
 * it: the pid on the first line (all an older Plinth wrote, and all it
 * reads), then `hostname=<name>` and, on Linux, `start=<boot id>:<ticks>`,
 * when the process started, which tells a reused pid from the holder.
 */
export class LockHolder {
  /** This process. */
  static async current(): Promise<LockHolder> {
    return new LockHolder(
      process.pid,
      os.hostname(),
      await readProcessStart(process.pid),
    );
  }

  /**
   * Reads a lock file's text.
   * @returns undefined when the text is empty, cut short (no final newline)
   * or has no pid on its first line.
   */
  static parse(text: string): LockHolder | undefined {
    if (!text.endsWith('\n')) {
      return undefined;
    }
    const [pidLine, ...lines] = text.slice(0, -1).split('\n');
    const pid = Number(pidLine);
    if (!/^[1-9][0-9]*$/.test(pidLine) || !Number.isSafeInteger(pid)) {
      return undefined;
    }
    const fields = new Map<string, string>();
    for (const line of lines) {
      const separator = line.indexOf('=');
      if (separator > 0) {
        fields.set(line.slice(0, separator), line.slice(separator + 1));
      }
    }
    return new LockHolder(pid, fields.get('hostname'), fields.get('start'));
  }

  private constructor(
    readonly pid: number,
    /** Undefined in a lock file written by an older Plinth, which ran here. */
    readonly hostname: string | undefined,
    /** Undefined when the holder could not tell, such as off Linux. */
    readonly start: string | undefined,
  ) {}

  /** The lock file's text. */
  format(): string {
    const lines = [`${this.pid}`];
    if (this.hostname !== undefined) {
      lines.push(`hostname=${this.hostname}`);
    }
    if (this.start !== undefined) {
      lines.push(`start=${this.start}`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** Whether the holder runs on another host, whose processes this one cannot see. */
  isElsewhere(): boolean {
    return this.hostname !== undefined && this.hostname !== os.hostname();
  }

  /**
   * Whether a process of this host with the holder's pid runs and, when
   * both start times are known, started when the holder did.
   */
  async isRunning(): Promise<boolean> {
    if (!isProcessAlive(this.pid)) {
      return false;
    }
    if (this.start === undefined) {
      return true;
    }
    const start = await readProcessStart(this.pid);
    return start === undefined || start === this.start;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started, as `<boot id>:<clock ticks since boot>` from
 * Linux's /proc: exact, and not moved by changes to the wall clock.
 * @returns undefined off Linux, or when /proc does not show the process.
 */
async function readProcessStart(pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux') {
    return undefined;
  }
  try {
    const [bootId, stat] = await Promise.all([
      fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8'),
      fs.readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    // Field 22, starttime; fields from the 3rd follow the command name,
    // which is in parentheses and may itself hold spaces or parentheses.
    const ticks = stat
      .slice(stat.lastIndexOf(')') + 1)
      .trim()
      .split(' ')[19];
    return ticks !== undefined && /^[0-9]+$/.test(ticks)
      ? `${bootId.trim()}:${ticks}`
      : undefined;
  } catch {
    return undefined;
  }
}
