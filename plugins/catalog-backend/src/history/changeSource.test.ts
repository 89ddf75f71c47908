import { EventEmitter } from 'node:events';
import type { HttpAuthService } from '@plinth/backend-plugin-api';
import type { Request, Response } from 'express';
import { readChangeActor, recordChangeActor } from './changeSource';

function fakeExchange(method: string) {
  const res = new EventEmitter() as unknown as Response;
  const req = { method, res } as unknown as Request;
  return { req, res };
}

const httpAuth = {
  credentials: jest.fn(async () => ({
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef: 'user:default/jane' },
  })),
} as unknown as HttpAuthService;

/**
 * Runs the middleware and reads the actor as a write made under it would,
 * after `meanwhile` has happened.
 */
function readUnder(req: Request, res: Response, meanwhile = () => {}) {
  return new Promise<string | null>((resolve, reject) => {
    recordChangeActor(httpAuth)(req, res, () => {
      meanwhile();
      readChangeActor().then(resolve, reject);
    });
  });
}

describe('recordChangeActor', () => {
  it('names the caller of a write as the actor of its changes', async () => {
    const { req, res } = fakeExchange('POST');
    await expect(readUnder(req, res)).resolves.toBe('user:default/jane');
  });

  it('gives reads no actor, since they change nothing', async () => {
    const { req, res } = fakeExchange('GET');
    await expect(readUnder(req, res)).resolves.toBeNull();
  });

  it('lets go of the request once its response has ended', async () => {
    jest.mocked(httpAuth.credentials).mockClear();
    const { req, res } = fakeExchange('DELETE');
    const ended = () => (res as unknown as EventEmitter).emit('close');
    await expect(readUnder(req, res, ended)).resolves.toBeNull();
    expect(httpAuth.credentials).not.toHaveBeenCalled();
  });

  it('lets go at once of a request whose client has gone already', async () => {
    jest.mocked(httpAuth.credentials).mockClear();
    const { req, res } = fakeExchange('POST');
    Object.assign(res, { closed: true });
    let later!: Promise<string | null>;
    recordChangeActor(httpAuth)(req, res, () => {
      later = new Promise(resolve => setImmediate(resolve)).then(
        readChangeActor,
      );
    });
    await expect(later).resolves.toBeNull();
    expect(httpAuth.credentials).not.toHaveBeenCalled();
    expect((res as unknown as EventEmitter).listenerCount('close')).toBe(0);
  });
});
