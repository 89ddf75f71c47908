import type { JsonObject } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import { ConfigReader } from '../../config';
import { InvalidConfigError } from '../../errors';
import { readListenOptions } from './readListenOptions';

const read = (listen: JsonObject) =>
  readListenOptions(mockServices.rootConfig({ data: { backend: { listen } } }));

describe('readListenOptions', () => {
  it('defaults to every interface on port 7007', () => {
    expect(readListenOptions(mockServices.rootConfig({ data: {} }))).toEqual({
      host: undefined,
      port: 7007,
    });
  });

  it('reads the host and port', () => {
    expect(read({ host: '127.0.0.1', port: 8080 })).toEqual({
      host: '127.0.0.1',
      port: 8080,
    });
  });

  it('keeps port 0, which picks a free port', () => {
    expect(read({ port: 0 }).port).toBe(0);
  });

  it('reads a port given as a string, as from an environment variable', () => {
    expect(read({ port: '7100' }).port).toBe(7100);
  });

  it('treats an empty host as every interface', () => {
    expect(read({ host: '' }).host).toBeUndefined();
  });

  it.each([[70000], [80.5], [-1]])('rejects the port %s', port => {
    expect(() => read({ port })).toThrow(InvalidConfigError);
    expect(() => read({ port })).toThrow(
      `Invalid config at 'backend.listen.port' (mock-config): expected an integer from 0 to 65535 (0 picks a free port), got ${port}.`,
    );
  });

  it('rejects a port that is not a number', () => {
    expect(() => read({ port: '70a' })).toThrow(
      `Invalid config at 'backend.listen.port' (mock-config): expected a number, got "70a".`,
    );
  });

  it('rejects a host that is not a string, naming the file it came from', () => {
    const config = new ConfigReader(
      { backend: { listen: { host: ['a'] } } },
      'app-config.local.yaml',
    );
    expect(() => readListenOptions(config)).toThrow(
      "Invalid config at 'backend.listen.host' (app-config.local.yaml): expected a host name or IP address (leave it out to listen on every interface), got an array.",
    );
  });
});
