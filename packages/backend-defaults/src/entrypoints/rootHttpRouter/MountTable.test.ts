import { ConflictError } from '@plinth/errors';
import type { NextFunction, Request, Response } from 'express';
import { MountTable } from './MountTable';

/** What a mounted handler saw, or that the request was passed on. */
function dispatch(table: MountTable, url: string) {
  const req = { url, baseUrl: '' } as Request;
  let passedOn = false;
  table.middleware(req, {} as Response, () => {
    passedOn = true;
  });
  return { req, passedOn };
}

function recordingTable(paths: string[]) {
  const table = new MountTable();
  const seen: Array<{ mount: string; url: string; baseUrl: string }> = [];
  for (const path of paths) {
    table.add(path, (req: Request) => {
      seen.push({ mount: path, url: req.url, baseUrl: req.baseUrl });
    });
  }
  return { table, seen };
}

describe('MountTable', () => {
  it('hands a request to the handler mounted at its path, as express mounts a router', () => {
    const { table, seen } = recordingTable(['/api/catalog', '/api/todo']);
    dispatch(table, '/api/catalog/entities?filter=kind%3Dapi');
    dispatch(table, '/API/Todo');
    dispatch(table, '/api/todo?x=1');
    dispatch(table, '/api/todo/');
    expect(seen).toEqual([
      {
        mount: '/api/catalog',
        url: '/entities?filter=kind%3Dapi',
        baseUrl: '/api/catalog',
      },
      { mount: '/api/todo', url: '/', baseUrl: '/API/Todo' },
      { mount: '/api/todo', url: '/?x=1', baseUrl: '/api/todo' },
      { mount: '/api/todo', url: '/', baseUrl: '/api/todo' },
    ]);
  });

  it('matches whole segments and passes other requests on untouched', () => {
    const { table, seen } = recordingTable(['/api/catalog']);
    for (const url of ['/api/catalogue', '/api', '/other/api/catalog', '/']) {
      const { req, passedOn } = dispatch(table, url);
      expect(passedOn).toBe(true);
      expect(req.url).toBe(url);
      expect(req.baseUrl).toBe('');
    }
    expect(seen).toEqual([]);
  });

  it('routes a request target in absolute form by its path', () => {
    const { table, seen } = recordingTable(['/api/catalog']);
    dispatch(table, 'http://example.com/api/catalog/entities?a=b');
    expect(seen).toEqual([
      {
        mount: '/api/catalog',
        url: 'http://example.com/entities?a=b',
        baseUrl: '/api/catalog',
      },
    ]);
  });

  it('restores the URL when the mounted handlers pass the request on', () => {
    const table = new MountTable();
    table.add(
      '/api/todo',
      (_req: Request, _res: Response, next: NextFunction) => next(),
    );
    const { req, passedOn } = dispatch(table, '/api/todo/items?q=1');
    expect(passedOn).toBe(true);
    expect(req.url).toBe('/api/todo/items?q=1');
    expect(req.baseUrl).toBe('');
    expect(req.params).toBeUndefined();
  });

  it('refuses a path inside a mounted one, or holding one, in any case', () => {
    const table = new MountTable();
    table.add('/api/catalog', () => undefined);
    for (const path of ['/api/catalog', '/API/catalog/sub', '/api']) {
      expect(() => table.add(path, () => undefined)).toThrow(
        new ConflictError(
          `Cannot mount a handler at '${path}': it overlaps the handler already mounted at '/api/catalog'. Give each handler a path that is not inside another's.`,
        ),
      );
    }
    expect(() => table.add('/api/catalogue', () => undefined)).not.toThrow();
  });
});
