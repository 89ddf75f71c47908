/**
 * The assembled backend plus one plugin route that sends a fixed JSON
 * body, so that `yarn bench:http` measures what the HTTP stack itself
 * costs per request: security headers, CORS, compression, the request
 * log, the body parser, the plugin router and the credentials barrier.
 */
import { createBackend } from '@plinth/backend-defaults';
import { coreServices, createBackendPlugin } from '@plinth/backend-plugin-api';
import express from 'express';
import { probeBody } from './httpProbeBody';

const backend = createBackend();
backend.add(
  createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { http: coreServices.httpRouter },
        async init({ http }) {
          const router = express.Router();
          router.get('/x', (_req, res) => {
            res.type('application/json').send(probeBody);
          });
          http.use(router);
        },
      });
    },
  }),
);
void backend.start();
