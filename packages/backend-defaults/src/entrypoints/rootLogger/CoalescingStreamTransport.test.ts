import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CoalescingStreamTransport } from './CoalescingStreamTransport';
import { WinstonLogger } from './WinstonLogger';

describe('CoalescingStreamTransport', () => {
  it('writes the lines logged within the flush delay in one write, in order, once it has passed', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick'] });
    try {
      const { logger, writes } = capture({ flushDelayMs: 10 });
      logger.info('one');
      await Promise.resolve();
      logger.warn('two');
      jest.advanceTimersByTime(9);
      logger.error('three');
      expect(writes).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(writes.map(messagesOf)).toEqual([['one', 'two', 'three']]);
      logger.info('four');
      jest.advanceTimersByTime(10);
      expect(writes.map(messagesOf)).toEqual([
        ['one', 'two', 'three'],
        ['four'],
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('writes the lines of one event-loop turn in one write, in order, once the turn ends, with no flush delay', async () => {
    const { logger, writes } = capture({ flushDelayMs: 0 });
    logger.info('one');
    logger.warn('two');
    logger.error('three');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toHaveLength(1);
    expect(messagesOf(writes[0])).toEqual(['one', 'two', 'three']);
  });

  it('writes the lines of a later turn in a write of their own, with no flush delay', async () => {
    const { logger, writes } = capture({ flushDelayMs: 0 });
    logger.info('first turn');
    await nextTurn();
    logger.info('second turn');
    await nextTurn();
    expect(writes.map(messagesOf)).toEqual([['first turn'], ['second turn']]);
  });

  it('writes at once when the pending lines pass the size limit', async () => {
    const { logger, writes } = capture({
      flushDelayMs: 0,
      maxPendingChars: 200,
    });
    const lines = Array.from(
      { length: 5 },
      (_, i) => `line ${i} ${'x'.repeat(90)}`,
    );
    for (const line of lines) {
      logger.info(line);
    }
    expect(writes.map(messagesOf)).toEqual([
      lines.slice(0, 2),
      lines.slice(2, 4),
    ]);
    await nextTurn();
    expect(writes.map(messagesOf)).toEqual([
      lines.slice(0, 2),
      lines.slice(2, 4),
      lines.slice(4),
    ]);
  });

  it('writes the pending lines when closed', () => {
    const { transport, logger, writes } = capture();
    logger.info('before close');
    transport.close();
    expect(writes.flatMap(messagesOf)).toEqual(['before close']);
  });

  it('writes every line logged before process.exit()', () => {
    const result = runLoggingScript(
      'for (let i = 0; i < 1000; i++) logger.info(`line ${i}`); process.exit(3);',
    );
    expect(result.status).toBe(3);
    expect(messagesOf(result.stdout)).toEqual(
      Array.from({ length: 1000 }, (_, i) => `line ${i}`),
    );
  });

  it('writes the lines that exit listeners log', () => {
    const result = runLoggingScript(
      "logger.info('before'); process.on('exit', code => logger.info(`exiting with ${code}`)); process.exit(2);",
    );
    expect(result.status).toBe(2);
    expect(messagesOf(result.stdout)).toEqual(['before', 'exiting with 2']);
  });

  it('writes every line logged before an uncaught exception ends the process', () => {
    const result = runLoggingScript(
      "logger.info('before'); logger.error('failing'); throw new Error('boom');",
    );
    expect(result.status).toBe(1);
    expect(messagesOf(result.stdout)).toEqual(['before', 'failing']);
    expect(result.stderr).toContain('Error: boom');
  });

  it('writes every line logged before an unhandled rejection ends the process', () => {
    const result = runLoggingScript(
      "logger.info('before'); Promise.reject(new Error('rejected'));",
    );
    expect(result.status).toBe(1);
    expect(messagesOf(result.stdout)).toEqual(['before']);
  });
});

/** A JSON logger whose transport writes to an array, one entry per write. */
function capture(
  options: { flushDelayMs?: number; maxPendingChars?: number } = {},
) {
  const writes: string[] = [];
  const transport = new CoalescingStreamTransport({
    ...options,
    stream: { write: (text: string) => writes.push(text) },
  });
  const logger = WinstonLogger.create({
    format: 'json',
    transports: [transport],
  });
  return { transport, logger, writes };
}

function messagesOf(text: string): string[] {
  return text
    .split('\n')
    .filter(line => line !== '')
    .map(line => (JSON.parse(line) as { message: string }).message);
}

function nextTurn(): Promise<void> {
  return new Promise(done => setImmediate(() => setImmediate(done)));
}

/**
 * Runs `body` in a node process of its own, with `logger` a JSON logger on
 * the default transport, stdout a pipe as under a process manager.
 */
function runLoggingScript(body: string) {
  const script = `
    const { WinstonLogger } = require(${JSON.stringify(path.join(__dirname, 'WinstonLogger'))});
    const logger = WinstonLogger.create({ format: 'json' });
    ${body}
  `;
  return spawnSync(
    process.execPath,
    ['-r', require.resolve('sucrase/register/ts'), '-e', script],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
  );
}
