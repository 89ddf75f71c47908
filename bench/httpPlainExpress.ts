/**
 * A bare express 5 app serving the same route and body as
 * `httpProbeBackend.ts`: the ceiling `yarn bench:http` compares the
 * backend's HTTP stack against. Listens on the port in `PORT`.
 */
import express from 'express';
import { probeBody } from './httpProbeBody';

const app = express();
app.get('/api/probe/x', (_req, res) => {
  res.type('application/json').send(probeBody);
});
app.listen(Number(process.env.PORT), '127.0.0.1');
