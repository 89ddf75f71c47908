import type { HttpAuthService } from '@plinth/backend-plugin-api';
import { AuthenticationError } from '@plinth/errors';
import type { Request, Response } from 'express';
import type { EntitiesCatalog } from '../entities/EntitiesCatalog';
import type { CatalogPermissionGuard } from '../permissions/CatalogPermissionGuard';
import { waitAfterWrite } from './waitAfterWrite';
import type { WriteWaiter } from './WriteWaiter';

/** A response that records its status and body. */
function recordingResponse() {
  const sent: { status?: number; body?: unknown } = {};
  const res = {
    on: () => res,
    off: () => res,
    status(code: number) {
      sent.status = code;
      return res;
    },
    json(body: unknown) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, sent };
}

describe('waitAfterWrite', () => {
  it('answers a write whose token expires during the wait, having resolved the caller before writing', async () => {
    let written = false;
    const httpAuth = {
      async credentials() {
        if (written) {
          throw new AuthenticationError('The token expired');
        }
        return { principal: { type: 'user' } };
      },
    } as unknown as HttpAuthService;
    const waiter = {
      reserve: () => () => undefined,
      waitFor: async () => ({
        settled: true,
        progress: { entities: [], gone: [], truncated: false },
      }),
    } as unknown as WriteWaiter;
    const { res, sent } = recordingResponse();

    await waitAfterWrite(
      { socket: { destroyed: false }, baseUrl: '' } as unknown as Request,
      res,
      {
        waiter,
        httpAuth,
        guard: {
          entityFilter: async () => undefined,
        } as unknown as CatalogPermissionGuard,
        entitiesCatalog: {} as EntitiesCatalog,
      },
      {
        waitMs: 1000,
        write: async () => {
          written = true;
          return {
            body: { id: 'x' },
            status: 201,
            affected: { treeRefs: [], refs: [] },
            statusPath: '/x',
          };
        },
      },
    );

    expect(written).toBe(true);
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual(expect.objectContaining({ id: 'x' }));
  });
});
