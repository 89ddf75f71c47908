import type { JsonObject } from '@plinth/backend-plugin-api';
import { ForwardedError, InputError } from '@plinth/errors';
import { Writable } from 'node:stream';
import winston from 'winston';
import { WinstonLogger, type WinstonLoggerOptions } from './WinstonLogger';

const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('WinstonLogger', () => {
  it('writes one JSON object per line with level, message, timestamp and fields', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.child({ plugin: 'catalog' }).info('Refreshed', { count: 3 });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toEqual({
      level: 'info',
      message: 'Refreshed',
      timestamp: expect.stringMatching(timestamp),
      plugin: 'catalog',
      count: 3,
    });
    expect(Object.keys(line).slice(0, 3)).toEqual([
      'level',
      'message',
      'timestamp',
    ]);
  });

  it('writes one readable pretty line with the plugin in brackets and key=value fields', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger
      .child({ plugin: 'catalog' })
      .warn('Slow query', { ms: 1200, table: 'final entities', ok: false });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\S+ warn {2}\[catalog\] Slow query ms=1200 table="final entities" ok=false$/,
    );
    expect(lines[0].split(' ')[0]).toMatch(timestamp);
  });

  it('colours the level, the plugin and the field names when colours are on', () => {
    const { logger, lines } = capture({ format: 'pretty', colors: true });
    logger.child({ plugin: 'catalog' }).error('Failed', { id: 7 });
    expect(lines[0]).toContain('\u001b[31merror\u001b[0m');
    expect(lines[0]).toContain('\u001b[36m[catalog]\u001b[0m');
    expect(lines[0]).toContain('\u001b[2mid=\u001b[0m7');
  });

  it('adds the meta option to every line and lets child fields override it', () => {
    const { logger, lines } = capture({
      format: 'json',
      meta: { service: 'backend', region: 'eu' },
    });
    logger.info('a');
    logger.child({ region: 'us' }).info('b');
    expect(lines.map(l => JSON.parse(l) as JsonObject)).toEqual([
      expect.objectContaining({ service: 'backend', region: 'eu' }),
      expect.objectContaining({ service: 'backend', region: 'us' }),
    ]);
  });

  it("lets a meta field replace a child field in the child field's place", () => {
    const { logger, lines } = capture({ format: 'json' });
    logger
      .child({ plugin: 'catalog', service: 'refresh' })
      .info('Refreshed', { count: 3, plugin: 'todo' });
    const line = JSON.parse(lines[0]) as JsonObject;
    expect(Object.entries(line).slice(3)).toEqual([
      ['plugin', 'todo'],
      ['service', 'refresh'],
      ['count', 3],
    ]);
  });

  it('drops lines below the level and keeps the ones at or above it', () => {
    const { logger, lines } = capture({ format: 'json', level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map(l => (JSON.parse(l) as JsonObject).message)).toEqual([
      'w',
      'e',
    ]);
  });

  it('tells which levels it writes, in child loggers too', () => {
    const { logger } = capture({ format: 'json', level: 'info' });
    const child = logger.child({ plugin: 'todo' });
    expect(
      (['debug', 'info', 'warn', 'error'] as const).map(level =>
        child.isLevelEnabled(level),
      ),
    ).toEqual([false, true, true, true]);
  });

  it('logs debug lines when the level is debug', () => {
    const { logger, lines } = capture({ format: 'json', level: 'debug' });
    logger.debug('d');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'debug' });
  });

  it('renames fields that would replace the level, message or timestamp', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('real', { message: 'fake', level: 'error', timestamp: 1 });
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      message: 'real',
      timestamp: expect.stringMatching(timestamp),
      _message: 'fake',
      _level: 'error',
      _timestamp: 1,
    });
  });

  it('logs an error with its name, message and cause chain but no stack in JSON', () => {
    const { logger, lines } = capture({ format: 'json' });
    const cause = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });
    logger.error(
      'Refresh failed',
      new ForwardedError('Could not read location', cause),
    );
    expect(JSON.parse(lines[0])).toMatchObject({
      error: {
        name: 'Error',
        message: 'Could not read location',
        cause: {
          name: 'Error',
          message: 'connect ECONNREFUSED',
          code: 'ECONNREFUSED',
        },
      },
    });
    expect(lines[0]).not.toContain('stack');
  });

  it('includes error stacks in JSON when the level is debug', () => {
    const { logger, lines } = capture({ format: 'json', level: 'debug' });
    logger.error('Failed', new InputError('Bad id', new Error('inner')));
    const { error } = JSON.parse(lines[0]);
    expect(error.stack).toMatch(/^InputError: Bad id\n\s+at /);
    expect(error.cause.stack).toMatch(/^Error: inner\n\s+at /);
  });

  it('prints an error in pretty format with its stack frames and causes on the following lines', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.error('Failed', new InputError('Bad id', 'not an error'));
    const [first, header, ...rest] = lines[0].split('\n');
    expect(first).toMatch(/^\S+ error Failed$/);
    expect(header).toBe('InputError: Bad id');
    expect(rest[0]).toMatch(/^\s+at /);
    expect(rest[rest.length - 1]).toBe('caused by "not an error"');
  });

  it('prints a non-error field named error as a plain pretty field', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.warn('Retrying', { error: 'timeout' });
    expect(lines[0]).toMatch(/ Retrying error=timeout$/);
  });

  it('redacts secrets in the message, nested field values and child fields in JSON', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.addRedactions(['s3cr3t-token', 'hunter22']);
    logger.child({ auth: 'Bearer s3cr3t-token' }).info('Using hunter22 now', {
      nested: { list: ['x-hunter22-y', { deep: 'hunter22' }] },
    });
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      message: 'Using *** now',
      auth: 'Bearer ***',
      nested: { list: ['x-***-y', { deep: '***' }] },
    });
    expect(lines[0]).not.toMatch(/s3cr3t|hunter22/);
  });

  it('redacts secrets in error messages, stacks and causes in pretty format', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.addRedactions(['p4ssw0rd']);
    logger.error(
      'Connect with p4ssw0rd failed',
      new Error('Login p4ssw0rd rejected', {
        cause: new Error('bad p4ssw0rd'),
      }),
    );
    expect(lines[0]).not.toContain('p4ssw0rd');
    expect(lines[0]).toContain('Connect with *** failed');
    expect(lines[0]).toContain('Error: Login *** rejected');
    expect(lines[0]).toContain('caused by Error: bad ***');
  });

  it('redacts secrets added after a child logger was created, in that child too', () => {
    const { logger, lines } = capture({ format: 'json' });
    const child = logger.child({ plugin: 'catalog' });
    child.addRedactions(['late-secret']);
    logger.info('root late-secret');
    child.info('child late-secret');
    expect(lines.map(l => (JSON.parse(l) as JsonObject).message)).toEqual([
      'root ***',
      'child ***',
    ]);
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.addRedactions(['abcd', 'abcdefgh']);
    logger.info('abcdefgh');
    expect(JSON.parse(lines[0]).message).toBe('***');
  });

  it('redacts a file secret without its trailing newline and each line of a multi-line secret', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.addRedactions(['token-from-file\n', 'line-one\nline-two\n']);
    logger.info('token-from-file line-two');
    expect(JSON.parse(lines[0]).message).toBe('*** ***');
  });

  it('treats secrets as literal text, not as patterns', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.addRedactions(['a.b*c(d)']);
    logger.info('a.b*c(d) axbbbc(d)');
    expect(JSON.parse(lines[0]).message).toBe('*** axbbbc(d)');
  });

  it('skips secrets shorter than four characters and warns how many it skipped', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.addRedactions(['dev', 'ab', '', 'long-enough']);
    logger.info('dev ab long-enough');
    expect(lines.map(l => (JSON.parse(l) as JsonObject).message)).toEqual([
      'Not redacting 2 secret values shorter than 4 characters from logs, because such short values also occur in ordinary words; use longer secrets.',
      'dev ab ***',
    ]);
  });

  it('replaces cycles in fields instead of failing', () => {
    const { logger, lines } = capture({ format: 'json' });
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.info('cyclic', { loop } as never);
    expect(JSON.parse(lines[0]).loop).toEqual({
      name: 'loop',
      self: '[Circular]',
    });
  });

  it('rejects an unknown level and lists the valid ones', () => {
    expect(() =>
      WinstonLogger.create({ level: 'verbose' as never, transports: [] }),
    ).toThrow(
      "Invalid log level 'verbose' passed to WinstonLogger.create(): use one of 'error', 'warn', 'info', 'debug'.",
    );
  });
});

/** A logger whose lines are kept in memory, without colours unless asked. */
function capture(options: WinstonLoggerOptions) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString().replace(/\n$/, ''));
      callback();
    },
  });
  const logger = WinstonLogger.create({
    colors: false,
    ...options,
    transports: [new winston.transports.Stream({ stream, eol: '\n' })],
  });
  return { logger, lines };
}
