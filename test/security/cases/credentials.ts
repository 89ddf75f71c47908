import { canaries } from '../hostileBackend';
import {
  component,
  credential,
  validate,
  type HostileCase,
} from '../hostileRequests';

/** Putting credentials into location URLs. */
export const credentialCases: HostileCase[] = [
  {
    name: 'registers a location with a user name and password',
    send: b =>
      b.request.post('/api/catalog/locations').send({
        type: 'url',
        target: `http://ci:${encodeURIComponent(canaries.signingKey)}@${new URL(b.allowedBase).host}/fine.yaml`,
      }),
    status: 400,
    message: b =>
      credential(
        `url:${b.allowedBase}/fine.yaml`,
        'the request',
        'a user name or password',
        new URL(b.allowedBase).host,
      ),
  },
  {
    name: 'registers a location with a token in the query',
    send: b =>
      b.request.post('/api/catalog/locations').send({
        type: 'url',
        target: `${b.allowedBase}/fine.yaml?token=${encodeURIComponent(canaries.signingKey)}`,
      }),
    status: 400,
    message: b =>
      credential(
        `url:${b.allowedBase}/fine.yaml?token=***`,
        'the request',
        "the query parameter 'token'",
        new URL(b.allowedBase).host,
      ),
  },
  {
    name: 'registers a presigned S3 URL',
    send: b =>
      b.request.post('/api/catalog/locations').send({
        type: 'url',
        target:
          'https://bucket.s3.amazonaws.com/c.yaml?X-Amz-Credential=AKIA&X-Amz-Signature=beef',
      }),
    status: 400,
    message: credential(
      'url:https://bucket.s3.amazonaws.com/c.yaml?X-Amz-Credential=***&X-Amz-Signature=***',
      'the request',
      "the query parameter 'X-Amz-Credential'",
      'bucket.s3.amazonaws.com',
    ),
  },
  {
    name: 'validates an entity at a location with a password',
    send: validate(
      component(),
      b => `url:http://u:p@${new URL(b.allowedBase).host}/x.yaml`,
    ),
    status: 400,
    message: b =>
      credential(
        `url:${b.allowedBase}/x.yaml`,
        'the body of POST /validate-entity',
        'a user name or password',
        new URL(b.allowedBase).host,
      ),
  },
  {
    name: 'registers a location of a type no one allowed',
    send: b =>
      b.request
        .post('/api/catalog/locations')
        .send({ type: 'github', target: 'acme/repo' }),
    status: 400,
    message:
      "Location type 'github' cannot be registered through the API; the allowed type is 'url'. Use an allowed type, or add it to 'catalog.allowedLocationTypes'.",
  },
];
