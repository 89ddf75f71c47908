/**
 * The ceiling of `yarn bench:catalog`: a bare express 5 app that answers
 * each catalog route, on the same path pattern, with the bytes the
 * catalog answered to the same URL, sent with `res.send` as any plain
 * express handler would. Forked by `plainExpressCeiling.ts` with the file
 * of captured responses as its argument; tells its parent its port.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { CapturedRoute } from './plainExpressCeiling';

const routes = JSON.parse(
  readFileSync(process.argv[2], 'utf8'),
) as CapturedRoute[];
const app = express();
for (const route of routes) {
  const answers = new Map(
    Object.entries(route.responses).map(([url, response]) => [
      url,
      { ...response, body: Buffer.from(response.body, 'base64') },
    ]),
  );
  app.get(route.pattern, (req, res) => {
    const answer = answers.get(req.originalUrl);
    if (!answer) {
      res.status(404).end();
      return;
    }
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });
}
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
