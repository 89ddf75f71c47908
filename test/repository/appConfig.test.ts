import { DefaultRootConfigService } from '@plinth/backend-defaults';
import path from 'node:path';
import { repositoryRoot } from './workspacePackages';

const productionEnv = {
  BACKEND_BASE_URL: 'https://plinth.example.com',
  APP_BASE_URL: 'https://plinth.example.com',
  POSTGRES_HOST: 'db',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'plinth',
  POSTGRES_PASSWORD: 'database-password',
  BACKEND_SECRET: 'a-signing-secret-of-at-least-32-characters',
};

function load(argv: string[], env: Record<string, string> = {}) {
  return DefaultRootConfigService.create({
    argv: ['node', 'index.ts', ...argv],
    env,
    cwd: repositoryRoot,
    rootDir: repositoryRoot,
    packageDir: path.join(repositoryRoot, 'packages/backend'),
  });
}

describe('the shipped app-config files', () => {
  it('validate as the development config of yarn start', async () => {
    const config = await load([]);
    expect(config.getString('backend.database.client')).toBe('pglite');
    expect(config.getBoolean('backend.auth.developmentToken')).toBe(true);
    // The development token is only issued on a loopback address.
    expect(config.getOptional('backend.listen.host')).toBe('127.0.0.1');
    // Development keeps everything allowed; production enforces a policy.
    expect(config.getBoolean('permission.enabled')).toBe(false);
  });

  it('validate as the production config, with its secrets from the environment', async () => {
    const config = await load(
      ['--config', 'app-config.yaml', '--config', 'app-config.production.yaml'],
      productionEnv,
    );
    expect(config.getString('backend.database.client')).toBe('pg');
    expect(config.getNumber('backend.database.connection.port')).toBe(5432);
    expect(config.getBoolean('backend.auth.developmentToken')).toBe(false);
    expect(config.getBoolean('permission.enabled')).toBe(true);
    expect(config.secretValues()).toEqual(
      expect.arrayContaining([
        'database-password',
        'a-signing-secret-of-at-least-32-characters',
      ]),
    );
  });

  it('listen on every interface in production, whatever app-config.yaml binds to', async () => {
    const config = await load(
      ['--config', 'app-config.yaml', '--config', 'app-config.production.yaml'],
      productionEnv,
    );
    // Behind a load balancer the backend must be reachable from other
    // machines; an empty host means every interface.
    expect(config.getOptional('backend.listen.host') ?? '').toBe('');
  });

  it('name every unset variable of the production config', async () => {
    await expect(
      load([
        '--config',
        'app-config.yaml',
        '--config',
        'app-config.production.yaml',
      ]),
    ).rejects.toThrow(
      /environment variable 'BACKEND_BASE_URL' is not set[\s\S]*'BACKEND_SECRET'/,
    );
  });
});
