import { wildcardHosts } from '../hostileBackend';
import { addressKinds, dryRun, type HostileCase } from '../hostileRequests';

/** Reaching inside the network. */
export const networkCases: HostileCase[] = [
  ...Object.entries(wildcardHosts).map(([host, address]): HostileCase => ({
    name: `dry-runs a location at ${host}, which resolves to ${address}`,
    send: dryRun(() => `http://${host}/catalog-info.yaml`),
    status: 403,
    message: new RegExp(
      `^Dry run of location 'url:http://${host.replace(/\./g, '\\.')}/catalog-info\\.yaml' failed`,
    ),
    reason: `Reading 'http://${host}/catalog-info.yaml' is not allowed: host '${host}' resolves to ${address}, ${addressKinds[host]}, and the rule that matches it, '*.wild.test', is a wildcard; only a rule that names a host exactly may reach such addresses. To allow it, add { host: '${host}' } to 'backend.reading.allow'.`,
  })),
  {
    name: 'escapes an allowed path with an encoded separator',
    send: dryRun(() => 'http://paths.test/allowed/..%2fsecret.yaml'),
    status: 403,
    message:
      /^Dry run of location 'url:http:\/\/paths\.test\/allowed\/\.\.%2fsecret\.yaml' failed/,
    reason:
      /^Reading 'http:\/\/paths\.test\/allowed\/\.\.%2fsecret\.yaml' is not allowed: /,
  },
  {
    name: 'escapes an allowed path with encoded dots',
    send: dryRun(() => 'http://paths.test/allowed/%2e%2e/secret.yaml'),
    status: 403,
    message:
      /^Dry run of location 'url:http:\/\/paths\.test\/secret\.yaml' failed/,
    reason:
      /^Reading 'http:\/\/paths\.test\/secret\.yaml' is not allowed: path '\/secret\.yaml' is not below the paths allowed/,
  },
  {
    name: 'follows a redirect of the allowed server to the metadata address',
    send: dryRun(b => `${b.allowedBase}/redirect-to-metadata`),
    status: 403,
    message:
      /^Dry run of location 'url:http:\/\/127\.0\.0\.1:\d+\/redirect-to-metadata' failed/,
    reason:
      /it redirects to 'http:\/\/metadata\.wild\.test\/latest', and host 'metadata\.wild\.test' resolves to 169\.254\.169\.254, a link-local address/,
  },
  {
    name: 'reads a host that no rule allows',
    send: dryRun(() => 'http://evil.test/catalog-info.yaml'),
    status: 403,
    message:
      /^Dry run of location 'url:http:\/\/evil\.test\/catalog-info\.yaml' failed/,
    reason:
      "Reading 'http://evil.test/catalog-info.yaml' is not allowed: host 'evil.test' matches no rule in 'backend.reading.allow'. To allow it, add { host: 'evil.test' } to 'backend.reading.allow'.",
  },
];
