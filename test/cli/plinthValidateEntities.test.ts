import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@plinth/backend-test-utils';
import { runValidateEntitiesCommand } from '@plinth/cli';
import { catalogPlugin } from '@plinth/plugin-catalog-backend';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';

/*
 * The CI command against the real catalog: `yarn plinth validate-entities`
 * reads files from disk and calls a running backend, which validates them
 * with its processing pipeline and compares them with what it serves.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const catalogFile = 'https://git.example.com/acme/catalog-info.yaml';

const team = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
`;

function component(name: string, lifecycle = 'production', owner = 'team-a') {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: ${lifecycle}
  owner: ${owner}
`;
}

/** A capturing stdout and the command's run against `url`. */
function createRun(cwd: string, url: string) {
  return async (...argv: string[]) => {
    let output = '';
    const stdout = {
      write: (chunk: string) => {
        output += chunk;
        return true;
      },
    } as NodeJS.WritableStream;
    const code = await runValidateEntitiesCommand({
      argv,
      env: { PLINTH_URL: url, PLINTH_TOKEN: mockCredentials.user.token() },
      cwd,
      stdout,
    });
    return { code, output };
  };
}

describe('yarn plinth validate-entities', () => {
  describe.each(databases.eachSupportedId())('against a catalog on %s', id => {
    let run: ReturnType<typeof createRun>;
    let dir: string;

    beforeAll(async () => {
      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          databases.factory(id),
          mockServices.urlReader.factory({
            [catalogFile]: `${team}---\n${component('petstore')}---\n${component('legacy')}`,
          }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [{ allow: ['Component', 'Group', 'Location'] }],
                locations: [{ type: 'url', target: catalogFile }],
              },
            },
          }),
        ],
      });
      const deadline = Date.now() + 30_000;
      while (
        (
          await request(server)
            .get('/api/catalog/entities?filter=kind=component')
            .set('authorization', mockCredentials.user.header())
        ).body.length !== 2
      ) {
        if (Date.now() > deadline)
          throw new Error('Timed out waiting for ingestion');
        await new Promise(done => setTimeout(done, 50));
      }
      const { port } = server.address() as AddressInfo;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-validate-'));
      fs.mkdirSync(path.join(dir, 'catalog'));
      fs.writeFileSync(path.join(dir, 'catalog', 'a-team.yaml'), team);
      fs.writeFileSync(
        path.join(dir, 'catalog', 'b-services.yaml'),
        `${component('petstore', 'experimental')}---\n${component('cart')}`,
      );
      fs.writeFileSync(
        path.join(dir, 'broken.yaml'),
        `${component('ghost-owned', 'production', 'team-ghost')}---\n${component('Bad Name!')}`,
      );
      run = createRun(dir, `http://127.0.0.1:${port}`);
    }, 90_000);

    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('prints each document by file and line with its diff, and exits with 0 when all are valid', async () => {
      const result = await run(
        'catalog/*.yaml',
        '--location',
        `url:${catalogFile}`,
      );
      expect(result).toEqual({
        code: 0,
        output: [
          'catalog/a-team.yaml:1  group:default/team-a  unchanged',
          'catalog/b-services.yaml:1  component:default/petstore  changed',
          '    replace /spec/lifecycle = "experimental"',
          'catalog/b-services.yaml:10  component:default/cart  created',
          'deleted  component:default/legacy',
          '3 documents: 1 created, 1 changed, 1 unchanged, 0 invalid; 1 deleted.',
          '',
        ].join('\n'),
      });
    });

    it('exits with 1 and lists errors and warnings with their field paths when a document is invalid', async () => {
      const result = await run('broken.yaml');
      expect(result.code).toBe(1);
      const lines = result.output.split('\n');
      expect(lines[0]).toBe(
        'broken.yaml:1  component:default/ghost-owned  created',
      );
      expect(lines[1]).toMatch(
        /^ {4}warning at spec\.owner: Relation 'ownedBy' from 'spec\.owner' points to 'group:default\/team-ghost'/,
      );
      expect(lines[2]).toBe(
        'broken.yaml:10  component:default/Bad Name!  invalid',
      );
      expect(lines[3]).toMatch(/^ {4}error at metadata\.name: /);
    });

    it("adds each document's file and line to the backend's answer with --format json", async () => {
      const result = await run('catalog/b-services.yaml', '--format', 'json');
      const report = JSON.parse(result.output);
      expect(
        report.documents.map(
          (d: { file: string; line: number; result: string }) => [
            d.file,
            d.line,
            d.result,
          ],
        ),
      ).toEqual([
        ['catalog/b-services.yaml', 1, 'changed'],
        ['catalog/b-services.yaml', 10, 'created'],
      ]);
    });

    it('fails with VALIDATE_NO_FILES, exit code 2, when a glob matches no file', async () => {
      await expect(run('missing/*.yaml')).rejects.toMatchObject({
        name: 'ValidateCommandError',
        code: 'VALIDATE_NO_FILES',
      });
    });

    it('fails with VALIDATE_REQUEST_REFUSED, exit code 2, quoting the backend when it refuses the request', async () => {
      await expect(
        run(
          'broken.yaml',
          '--location',
          'url:https://git.example.com/x.yaml?token=secret',
        ),
      ).rejects.toMatchObject({
        code: 'VALIDATE_REQUEST_REFUSED',
        message: expect.stringMatching(
          /^Could not validate entities: the backend answered 400: Invalid location /,
        ),
      });
    });
  });
});
