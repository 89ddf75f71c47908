import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DefaultRootConfigService,
  readConfigSecrets,
} from '../../config/DefaultRootConfigService';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Loads `yaml` as app-config.yaml with only this package's schema. */
function load(yaml: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-connections-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "app" }');
  fs.writeFileSync(path.join(dir, 'app-config.yaml'), yaml);
  return DefaultRootConfigService.create({
    cwd: dir,
    argv: [],
    env: {},
    packageDir: dir,
  });
}

describe('connections config schema', () => {
  it('marks the credentials of auth entries secret, and nothing else of a connection', async () => {
    const config = await load(
      [
        'connections:',
        '  - type: github',
        '    host: github.com',
        '    auth:',
        '      - method: app',
        '        appId: 1',
        '        clientId: client-id',
        '        clientSecret: client-secret',
        '        privateKey: private-key',
        '      - method: token',
        '        token: ghp-token',
        '  - type: bitbucket-server',
        '    host: bitbucket.example.com',
        '    auth:',
        '      - { method: basic, username: me, password: pw }',
        '',
      ].join('\n'),
    );
    expect(readConfigSecrets(config, { declaredOnly: true }).sort()).toEqual(
      ['client-secret', 'ghp-token', 'private-key', 'pw'].sort(),
    );
  });

  it('refuses a connection type that does not exist when the config loads', async () => {
    await expect(
      load('connections:\n  - type: gitlub\n    auth: [{ method: none }]\n'),
    ).rejects.toThrow(
      [
        'Backend config is invalid; fix this problem and start the backend again:',
        `  - Invalid config at 'connections[0].type' (app-config.yaml): expected one of 'aws', 'aws-codecommit', 'aws-s3', 'azure-blob-storage', 'azure', 'bitbucket-cloud', 'bitbucket-server', 'gerrit', 'gitea', 'github', 'gitlab', 'google-gcs', 'harness', got "gitlub".`,
      ].join('\n'),
    );
  });
});
