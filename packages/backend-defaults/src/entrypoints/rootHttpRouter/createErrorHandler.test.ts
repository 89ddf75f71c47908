import type { Config } from '@plinth/backend-plugin-api';
import { mockServices } from '@plinth/backend-test-utils';
import express from 'express';
import supertest from 'supertest';
import { ConfigReader } from '../rootConfig/ConfigReader';
import { createErrorHandler } from './createErrorHandler';

const pem = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  '-----END PRIVATE KEY-----',
  '',
].join('\n');

describe('createErrorHandler', () => {
  it('replaces each line of a multi-line secret, such as a PEM key, in the body', async () => {
    const request = startApp(configWithSecrets([pem]));
    const res = await request
      .get('/boom')
      .query({
        message: 'Could not parse key line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC.',
      })
      .expect(500);
    expect(res.body).toMatchObject({
      error: { message: 'Could not parse key line ***.' },
    });
    expect(res.text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });

  it('leaves secrets shorter than four characters in the body, as the logs do', async () => {
    const request = startApp(configWithSecrets(['dev']));
    const res = await request
      .get('/boom')
      .query({ message: 'Could not reach the device.' })
      .expect(500);
    expect(res.body).toMatchObject({
      error: { message: 'Could not reach the device.' },
    });
  });

  it('reads the config secrets once, and again when the config changes', async () => {
    const config = configWithSecrets(['first-secret']);
    const secretValues = jest.spyOn(config, 'secretValues');
    let onChange = () => {};
    const reloadable: Config = Object.assign(config, {
      subscribe: (listener: () => void) => {
        onChange = listener;
        return { unsubscribe: () => {} };
      },
    });
    const request = startApp(reloadable);
    const message = 'Tried first-secret and second-secret.';
    await request.get('/boom').query({ message }).expect(500);
    await request.get('/boom').query({ message }).expect(500);
    expect(secretValues).toHaveBeenCalledTimes(1);

    secretValues.mockReturnValue(['first-secret', 'second-secret']);
    onChange();
    const res = await request.get('/boom').query({ message }).expect(500);
    expect(res.body).toMatchObject({
      error: { message: 'Tried *** and ***.' },
    });
  });
});

/** A config whose only layer has these secret values. */
function configWithSecrets(secrets: string[]): ConfigReader {
  return ConfigReader.fromConfigs([
    { context: 'app-config.yaml', data: {}, secrets },
  ]);
}

/** An app whose `GET /boom?message=...` throws an error with that message. */
function startApp(config: Config) {
  const app = express();
  app.get('/boom', req => {
    throw new Error(req.query.message as string);
  });
  app.use(
    createErrorHandler({
      config,
      logger: mockServices.rootLogger(),
      includeStack: false,
    }),
  );
  return supertest(app);
}
