import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type JsonObject,
} from '@plinth/backend-plugin-api';
import { startTestBackend } from '@plinth/backend-test-utils';
import { ConfigReader, DefaultRootConfigService } from '../../config';
import { CoalescingStreamTransport } from './CoalescingStreamTransport';
import { rootLoggerServiceFactory } from './rootLoggerServiceFactory';

const MESSAGE = Symbol.for('message');

describe('rootLoggerServiceFactory', () => {
  const env = { ...process.env };
  let lines: string[];

  beforeEach(() => {
    lines = [];
    jest
      .spyOn(CoalescingStreamTransport.prototype, 'log')
      .mockImplementation((info, next) => {
        lines.push(String(info[MESSAGE]));
        next();
      });
    delete process.env.LOG_LEVEL;
  });

  afterEach(() => {
    process.env = { ...env };
  });

  it('writes JSON lines in production, with the plugin id and config secrets redacted', async () => {
    process.env.NODE_ENV = 'production';
    await startTestBackend({
      features: [
        rootLoggerServiceFactory,
        configFactory({}, ['db-password-1']),
        loggingPlugin('Connecting with db-password-1'),
      ],
    });
    const line = lines
      .map(l => JSON.parse(l) as JsonObject)
      .find(l => l.plugin === 'todo');
    expect(line).toEqual({
      level: 'info',
      message: 'Connecting with ***',
      timestamp: expect.any(String),
      plugin: 'todo',
    });
  });

  it('writes pretty lines outside production', async () => {
    process.env.NODE_ENV = 'development';
    await startTestBackend({
      features: [
        rootLoggerServiceFactory,
        configFactory({}),
        loggingPlugin('Hello'),
      ],
    });
    expect(lines).toContainEqual(expect.stringMatching(/ \[todo\] Hello$/));
  });

  it('logs the warnings of loading the config once, one line each', async () => {
    process.env.NODE_ENV = 'production';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-logger-'));
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: 'app',
        configSchema: {
          type: 'object',
          properties: { todo: { type: 'object' } },
        },
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'app-config.yaml'),
      'todo: {}\nmyplugin:\n  on: true\n',
    );
    try {
      await startTestBackend({
        features: [
          rootLoggerServiceFactory,
          createServiceFactory({
            service: coreServices.rootConfig,
            deps: {},
            factory: () =>
              DefaultRootConfigService.create({
                cwd: dir,
                argv: [],
                env: {},
                packageDir: dir,
              }),
          }),
          loggingPlugin('Hello'),
        ],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const warnings = lines
      .map(l => JSON.parse(l) as JsonObject)
      .filter(l => l.level === 'warn');
    expect(warnings).toEqual([
      {
        level: 'warn',
        message:
          "Config key 'myplugin' (app-config.yaml) is not declared by any installed package's config schema, so it is not checked; check its spelling, or declare it in the config schema of the plugin that reads it.",
        timestamp: expect.any(String),
      },
    ]);
  });

  it('logs at the level of backend.logging.level', async () => {
    process.env.NODE_ENV = 'production';
    await startTestBackend({
      features: [
        rootLoggerServiceFactory,
        configFactory({ backend: { logging: { level: 'warn' } } }),
        loggingPlugin('Hidden at warn'),
        loggingPlugin('Shown at warn', 'warn', 'other'),
      ],
    });
    expect(lines.join('\n')).not.toContain('Hidden at warn');
    expect(lines.join('\n')).toContain('Shown at warn');
  });
});

function configFactory(data: JsonObject, secrets: string[] = []) {
  return createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () =>
      ConfigReader.fromConfigs([{ data, context: 'app-config.yaml', secrets }]),
  });
}

function loggingPlugin(
  message: string,
  level: 'info' | 'warn' = 'info',
  pluginId = 'todo',
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init({ logger }) {
          logger[level](message);
        },
      });
    },
  });
}
