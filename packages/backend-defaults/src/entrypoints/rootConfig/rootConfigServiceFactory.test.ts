import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import { startTestBackend } from '@plinth/backend-test-utils';
import { rootConfigServiceFactory } from './rootConfigServiceFactory';

/** A plugin that hands the config it is given to `onConfig`. */
function createProbePlugin(onConfig: (title: string) => void) {
  return createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { config: coreServices.rootConfig },
        async init({ config }) {
          onConfig(config.getString('app.title'));
        },
      });
    },
  });
}

describe('rootConfigServiceFactory', () => {
  it('reads the config files named on the command line, relative to the working directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-config-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "app" }');
    fs.writeFileSync(path.join(dir, 'base.yaml'), 'app:\n  title: Base\n');
    fs.writeFileSync(path.join(dir, 'prod.yaml'), 'app:\n  title: Prod\n');
    jest.spyOn(process, 'cwd').mockReturnValue(dir);
    jest.replaceProperty(process, 'argv', [
      process.execPath,
      path.join(dir, 'index.js'),
      '--config',
      'base.yaml',
      '--config',
      'prod.yaml',
    ]);
    try {
      let title: string | undefined;
      const backend = await startTestBackend({
        features: [
          rootConfigServiceFactory,
          createProbePlugin(t => (title = t)),
        ],
      });
      await backend.stop();
      expect(title).toBe('Prod');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the backend start with the config error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-config-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "app" }');
    jest.spyOn(process, 'cwd').mockReturnValue(dir);
    jest.replaceProperty(process, 'argv', [
      process.execPath,
      path.join(dir, 'index.js'),
    ]);
    try {
      const error = await startTestBackend({
        features: [
          rootConfigServiceFactory,
          createProbePlugin(() => undefined),
        ],
      }).catch((e: unknown) => e);
      // The engine wraps the error; its own message comes through whole.
      expect((error as Error).message).toContain(
        "caused by ConfigError: Backend config is invalid; fix this problem and start the backend again:\n    - Could not read config file 'app-config.yaml': the file does not exist; create it, or pass an existing file with --config.",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
