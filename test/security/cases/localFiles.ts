import {
  api,
  component,
  dryRun,
  localFile,
  location,
  scheme,
  validate,
  type HostileCase,
} from '../hostileRequests';

/** Reading local files through the catalog. */
export const localFileCases: HostileCase[] = [
  {
    name: 'validates an entity at a url:file: location',
    send: validate(
      api({ $text: './app-config.local.yaml' }),
      b => `url:file://${b.repo}/catalog-info.yaml`,
    ),
    status: 400,
    message: b =>
      scheme(
        `url:file://${b.repo}/catalog-info.yaml`,
        'the body of POST /validate-entity',
      ),
  },
  {
    name: 'validates an entity at a file location',
    send: validate(component(), b => `file:${b.repo}/catalog/all.yaml`),
    status: 400,
    message: b =>
      `Invalid request body for POST /validate-entity: location 'file:${b.repo}/catalog/all.yaml' has type 'file', but only 'url' locations can be validated; write it as 'url:<address>'.`,
  },
  {
    name: 'sets its own location annotation to a file, to read a local file relative to it',
    send: b =>
      validate(
        api(
          { $text: '../app-config.local.yaml' },
          {
            annotations: {
              'backstage.io/managed-by-location': `file:${b.repo}/catalog/all.yaml`,
              'backstage.io/managed-by-origin-location': `file:${b.repo}/catalog/all.yaml`,
            },
          },
        ),
      )(b),
    status: 400,
    message:
      "Processor 'PlaceholderProcessor' failed to pre-process entity 'api:default/probe'",
    reason: b =>
      `Cannot read '${b.allowedBase}/app-config.local.yaml': the server answered 404 Not Found. Check that the URL exists.`,
  },
  ...['./app-config.extra.yaml', './.hidden.yaml', './linked.yaml'].map(
    (file): HostileCase => ({
      name: `sets its own location annotation beside the catalog's file, to read ${file}`,
      send: b =>
        validate(
          api(
            { $text: file },
            {
              annotations: {
                'backstage.io/managed-by-location': `file:${b.repo}/catalog/all.yaml`,
              },
            },
          ),
        )(b),
      status: 400,
      message:
        "Processor 'PlaceholderProcessor' failed to pre-process entity 'api:default/probe'",
      reason: b =>
        `Cannot read '${b.allowedBase}/${file.slice(2)}': the server answered 404 Not Found. Check that the URL exists.`,
    }),
  ),
  {
    name: 'reads the signing key file with $text and a file: URL',
    send: b =>
      validate(api({ $text: `file://${b.repo}/app-config.local.yaml` }))(b),
    status: 400,
    message:
      "Processor 'PlaceholderProcessor' failed to pre-process entity 'api:default/probe'",
    reason: b => localFile(`file://${b.repo}/app-config.local.yaml`),
  },
  {
    name: 'reads the development token with $json',
    send: b =>
      validate(api({ $json: `file://${b.repo}/.plinth/dev-token` }))(b),
    status: 400,
    reason: b => localFile(`file://${b.repo}/.plinth/dev-token`),
    message:
      "Processor 'PlaceholderProcessor' failed to pre-process entity 'api:default/probe'",
  },
  {
    name: 'reads the git config with $yaml',
    send: b => validate(api({ $yaml: `file://${b.repo}/.git/config` }))(b),
    status: 400,
    reason: b => localFile(`file://${b.repo}/.git/config`),
    message:
      "Processor 'PlaceholderProcessor' failed to pre-process entity 'api:default/probe'",
  },
  {
    name: 'reads /etc/passwd with $text and a file: URL on localhost',
    send: validate(api({ $text: 'file://localhost/etc/passwd' })),
    status: 400,
    reason: localFile('file:///etc/passwd'),
    message:
      "Processor 'PlaceholderProcessor' failed to pre-process entity 'api:default/probe'",
  },
  {
    name: 'reads an absolute path, which resolves against the entity URL',
    send: validate(api({ $text: '/etc/passwd' })),
    status: 400,
    reason: b =>
      `Cannot read '${b.allowedBase}/etc/passwd': the server answered 404 Not Found. Check that the URL exists.`,
    message:
      "Processor 'PlaceholderProcessor' failed to pre-process entity 'api:default/probe'",
  },
  {
    name: 'reads a file through an ftp: placeholder',
    send: validate(api({ $text: 'ftp://files.example.com/a' })),
    status: 400,
    reason:
      "'ftp://files.example.com/a' has the scheme 'ftp:', and placeholders read only http: and https: URLs, or files for entities from file locations.",
    message:
      "Processor 'PlaceholderProcessor' failed to pre-process entity 'api:default/probe'",
  },
  {
    name: 'validates a Location entity whose file target is the signing key',
    send: b =>
      validate(
        location({ type: 'file', target: `${b.repo}/app-config.local.yaml` }),
      )(b),
    status: 400,
    message: b =>
      `Location entity 'location:default/probe' from 'url:${b.allowedBase}/catalog-info.yaml' has the file target '${b.repo}/app-config.local.yaml', but only entities read from file locations may name files, so that no location from outside the config leads to this server's disk; use a 'url' target.`,
  },
  {
    name: 'validates a Location entity whose url target is a file: URL',
    send: b =>
      validate(
        location({
          type: 'url',
          target: `file://${b.repo}/.plinth/dev-token`,
        }),
      )(b),
    status: 400,
    message: b =>
      `Location entity 'location:default/probe' has the url target 'url:file://${b.repo}/.plinth/dev-token', which cannot be read: its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have.`,
  },
  {
    name: 'registers a file location with the signing key',
    send: b =>
      b.request
        .post('/api/catalog/locations')
        .send({ type: 'file', target: `${b.repo}/app-config.local.yaml` }),
    status: 400,
    message:
      "Location type 'file' cannot be registered through the API; the allowed type is 'url'. Use an allowed type, or add it to 'catalog.allowedLocationTypes'. A 'file' location is read from this server's disk, so it is refused from the API unless allowed; list file locations in 'catalog.locations' instead.",
  },
  {
    name: 'registers a url location with a file: URL',
    send: b =>
      b.request.post('/api/catalog/locations').send({
        type: 'url',
        target: `file://${b.repo}/app-config.local.yaml`,
      }),
    status: 400,
    message: b =>
      scheme(`url:file://${b.repo}/app-config.local.yaml`, 'the request'),
  },
  {
    name: 'dry-runs a url location with a file: URL',
    send: dryRun(b => `file://${b.repo}/catalog/linked.yaml`),
    status: 400,
    message: b =>
      scheme(`url:file://${b.repo}/catalog/linked.yaml`, 'the request'),
  },
  {
    name: 'dry-runs a location whose Location entity names local files',
    send: dryRun(b => `${b.allowedBase}/file-targets.yaml`),
    status: 400,
    message: b =>
      [
        `Dry run of location 'url:${b.allowedBase}/file-targets.yaml' failed while processing entity 'location:default/file-targets', with 2 errors:`,
        ...['app-config.local.yaml', 'catalog/all.yaml'].map(
          file =>
            `- InputError: Location entity 'location:default/file-targets' from 'url:${b.allowedBase}/file-targets.yaml' has the file target '${b.repo}/${file}', but only entities read from file locations may name files, so that no location from outside the config leads to this server's disk; use a 'url' target.`,
        ),
      ].join('\n'),
  },
  {
    name: 'dry-runs a location whose Location entity names file: URLs',
    send: dryRun(b => `${b.allowedBase}/file-url-targets.yaml`),
    status: 400,
    message: b =>
      `Dry run of location 'url:${b.allowedBase}/file-url-targets.yaml' failed while processing entity 'location:default/file-url-targets'`,
    reason: b =>
      `Location entity 'location:default/file-url-targets' has the url target 'url:file://${b.repo}/app-config.local.yaml', which cannot be read: its scheme 'file:' is not 'http:' or 'https:', the only ones a 'url' location may have.`,
  },
  {
    name: 'dry-runs a location whose entity reads a local file with $text',
    send: dryRun(b => `${b.allowedBase}/file-placeholder.yaml`),
    status: 403,
    message: b =>
      `Dry run of location 'url:${b.allowedBase}/file-placeholder.yaml' failed while processing entity 'api:default/file-placeholder'`,
    reason: b => localFile(`file://${b.repo}/app-config.local.yaml`),
  },
  {
    name: 'dry-runs a location whose entity climbs out of its URL with $text',
    send: dryRun(b => `${b.allowedBase}/relative-placeholder.yaml`),
    status: 404,
    message: b =>
      `Dry run of location 'url:${b.allowedBase}/relative-placeholder.yaml' failed while processing entity 'api:default/relative-placeholder'`,
    reason: b =>
      `Cannot read '${b.allowedBase}/app-config.local.yaml': the server answered 404 Not Found. Check that the URL exists.`,
  },
  {
    name: 'dry-runs a location that redirects to a file: URL',
    send: dryRun(b => `${b.allowedBase}/redirect-to-file`),
    status: 403,
    reason: b =>
      `Reading '${b.allowedBase}/redirect-to-file' is not allowed: it redirects to 'file://${b.repo}/app-config.local.yaml', and scheme 'file:' is not http: or https:. Read the target URL itself instead.`,
    message:
      /^Dry run of location 'url:http:\/\/127\.0\.0\.1:\d+\/redirect-to-file' failed while processing entity 'location:default\/generated-[0-9a-f]{40}'$/,
  },
  {
    name: 'analyzes a file location',
    send: b =>
      b.request.post('/api/catalog/analyze-location').send({
        location: { type: 'file', target: b.repo },
        catalogFilename: 'app-config.local.yaml',
      }),
    status: 400,
    message:
      "Location type 'file' cannot be registered through the API; the allowed type is 'url'. Use an allowed type, or add it to 'catalog.allowedLocationTypes'. A 'file' location is read from this server's disk, so it is refused from the API unless allowed; list file locations in 'catalog.locations' instead.",
  },
  ...[
    '../app-config.local.yaml',
    '.plinth/dev-token',
    'app-config.local.yaml',
    '/etc/passwd',
    '..%2fsecret.yaml',
  ].map((catalogFilename): HostileCase => ({
    name: `analyzes a location with catalogFilename ${catalogFilename}`,
    send: b =>
      b.request.post('/api/catalog/analyze-location').send({
        location: { type: 'url', target: `${b.allowedBase}/` },
        catalogFilename,
      }),
    status: 400,
    message: `Invalid request body for POST /analyze-location: 'catalogFilename' must be the plain name of a YAML file, such as 'catalog-info.yaml': letters, digits, '.', '_' and '-', not starting with '.' and not an app-config file, ending in '.yaml' or '.yml', got ${JSON.stringify(catalogFilename)}.`,
  })),
  {
    name: 'analyzes a url location with a file: URL',
    send: b =>
      b.request
        .post('/api/catalog/analyze-location')
        .send({ location: { type: 'url', target: `file://${b.repo}/` } }),
    status: 400,
    message: b => scheme(`url:file://${b.repo}/`, 'the request'),
  },
  {
    name: 'analyzes a folder of the allowed server, which it may',
    send: b =>
      b.request.post('/api/catalog/analyze-location').send({
        location: { type: 'url', target: `${b.allowedBase}/` },
        catalogFilename: 'fine.yaml',
      }),
    status: 200,
  },
];
