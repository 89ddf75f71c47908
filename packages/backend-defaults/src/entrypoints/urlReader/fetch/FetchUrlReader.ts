import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type {
  UrlReaderService,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@plinth/backend-plugin-api';
import {
  CustomErrorBase,
  InputError,
  isError,
  NotFoundError,
  NotModifiedError,
  redactUrl,
} from '@plinth/errors';
import picomatch from 'picomatch';
import { RuntimeServiceError, UrlFetchError } from '../../../errors';
import {
  toReadRefusal,
  type AllowRule,
  type HostAllowList,
} from './HostAllowList';
import {
  resolveAllowedAddress,
  type HostLookup,
  type ResolvedAddress,
} from './resolveAllowedAddress';

const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** What {@link FetchUrlReader} needs, read from `backend.reading`. */
export interface FetchUrlReaderOptions {
  allowList: HostAllowList;
  lookup: HostLookup;
  /** Bytes. */
  maxSize: number;
  timeoutMs: number;
}

interface ReadContext {
  original: URL;
  /** The original URL as {@link redactUrl} shows it, for messages. */
  safeUrl: string;
  options: UrlReaderServiceReadUrlOptions;
  signal: AbortSignal;
}

/**
 * Reads `http:` and `https:` URLs of hosts that `backend.reading.allow`
 * lists. Every hop, redirects included, is checked against the allow list
 * and its host's addresses against the non-public ranges, and the
 * connection goes to the address that was checked. A redirect from https:
 * to http: is refused. Bodies are limited to `backend.reading.maxSize` and
 * the whole read to `backend.reading.timeout`.
 */
export class FetchUrlReader implements UrlReaderService {
  readonly #options: FetchUrlReaderOptions;

  constructor(options: FetchUrlReaderOptions) {
    this.#options = options;
  }

  async readUrl(
    url: string,
    options: UrlReaderServiceReadUrlOptions = {},
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const original = new URL(url);
    const safeUrl = redactUrl(original);
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;
    try {
      return await this.#read({ original, safeUrl, options, signal });
    } catch (error) {
      if (options.signal?.aborted) {
        throw options.signal.reason;
      }
      if (timeout.aborted && !(error instanceof CustomErrorBase)) {
        throw UrlFetchError.timeout(safeUrl, this.#options.timeoutMs);
      }
      throw error;
    }
  }

  async readTree(url: string): Promise<UrlReaderServiceReadTreeResponse> {
    throw new InputError(
      `Cannot read the tree at '${redactUrl(url)}': readTree() is not supported for http(s) URLs. Read single files with readUrl(), or read the tree from a file: URL.`,
    );
  }

  /**
   * Reads the one file a URL without glob patterns names; a missing file
   * gives an empty result.
   */
  async search(
    url: string,
    options: UrlReaderServiceSearchOptions = {},
  ): Promise<UrlReaderServiceSearchResponse> {
    if (hasGlob(new URL(url).pathname)) {
      throw new InputError(
        `Cannot search '${redactUrl(url)}': glob patterns are not supported for http(s) URLs. Search a file: URL, or give the URL of one file.`,
      );
    }
    try {
      const response = await this.readUrl(url, options);
      return {
        files: [
          {
            url,
            content: () => response.buffer(),
            lastModifiedAt: response.lastModifiedAt,
          },
        ],
        etag: response.etag ?? '',
      };
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        return { files: [], etag: '' };
      }
      throw error;
    }
  }

  async #read(context: ReadContext): Promise<UrlReaderServiceReadUrlResponse> {
    let current = context.original;
    for (let redirects = 0; ; redirects += 1) {
      const hop = await this.#checkHop(context.original, current);
      const response = await this.#send(context, current, hop);
      const location = readHeader(response, 'location');
      if (!redirectStatuses.has(response.statusCode ?? 0) || !location) {
        return this.#toReadResponse(context, response);
      }
      response.resume();
      if (redirects === maxRedirects) {
        throw UrlFetchError.tooManyRedirects(context.safeUrl, maxRedirects);
      }
      const target = toRedirectTarget(context.safeUrl, location, current);
      if (current.protocol === 'https:' && target.protocol === 'http:') {
        throw toReadRefusal(
          context.original,
          target,
          'the redirect leaves https: for http:, which would carry the request and the answer unencrypted',
          "Ask the server's owner to redirect to an https: URL, or read the http: URL directly if it may travel unencrypted.",
        );
      }
      current = target;
    }
  }

  async #checkHop(
    original: URL,
    current: URL,
  ): Promise<{ address: ResolvedAddress; rule: AllowRule }> {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw toReadRefusal(
        original,
        current,
        `scheme '${current.protocol}' is not http: or https:`,
        'Read the target URL itself instead.',
      );
    }
    const match = this.#options.allowList.match(current);
    if (!match.allowed) {
      throw toReadRefusal(original, current, match.reason, match.fix);
    }
    const address = await resolveAllowedAddress({
      original,
      current,
      rule: match.rule,
      lookup: this.#options.lookup,
    });
    return { address, rule: match.rule };
  }

  /**
   * Sends one hop, with the headers of the rule that allowed this hop's
   * host only: a redirect to another host does not carry them along.
   */
  async #send(
    { options, signal, safeUrl }: ReadContext,
    url: URL,
    { address, rule }: { address: ResolvedAddress; rule: AllowRule },
  ): Promise<http.IncomingMessage> {
    const headers: http.OutgoingHttpHeaders = {
      accept: '*/*',
      ...rule.headers,
      'accept-encoding': 'identity',
    };
    if (options.etag) {
      headers['if-none-match'] = options.etag;
    }
    if (options.lastModifiedAfter) {
      headers['if-modified-since'] = options.lastModifiedAfter.toUTCString();
    }
    try {
      return await sendRequest(url, address, headers, signal);
    } catch (error) {
      throw signal.aborted ? error : UrlFetchError.network(safeUrl, error);
    }
  }

  async #toReadResponse(
    { safeUrl, options, signal }: ReadContext,
    response: http.IncomingMessage,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const status = response.statusCode ?? 0;
    const statusText = response.statusMessage;
    if (status < 200 || status >= 300) {
      response.resume();
      if (status === 304) {
        throw new NotModifiedError(
          `'${safeUrl}' has not changed: the server answered 304 Not Modified.`,
        );
      }
      if (status === 404 || status === 410) {
        throw new NotFoundError(
          `Cannot read '${safeUrl}': the server answered ${status}${statusText ? ` ${statusText}` : ''}. Check that the URL exists.`,
        );
      }
      throw UrlFetchError.status(safeUrl, status, statusText);
    }
    const serverEtag = readHeader(response, 'etag');
    const lastModifiedHeader = readHeader(response, 'last-modified');
    const lastModifiedAt = lastModifiedHeader
      ? new Date(lastModifiedHeader)
      : undefined;
    const validLastModified =
      lastModifiedAt && !Number.isNaN(lastModifiedAt.getTime())
        ? lastModifiedAt
        : undefined;
    // Servers may ignore conditional headers; the answer still tells.
    if (
      (options.etag !== undefined && serverEtag === options.etag) ||
      (options.lastModifiedAfter &&
        validLastModified &&
        validLastModified <= options.lastModifiedAfter)
    ) {
      response.resume();
      throw new NotModifiedError(
        `'${safeUrl}' has not changed: the server reports the same version.`,
      );
    }
    const buffer = await readResponseBody(response, {
      safeUrl,
      maxSize: this.#options.maxSize,
      signal,
    });
    const etag =
      serverEtag ?? createHash('sha256').update(buffer).digest('hex');
    if (options.etag !== undefined && etag === options.etag) {
      throw new NotModifiedError(
        `'${safeUrl}' has not changed: its content still has ETag '${etag}'.`,
      );
    }
    return {
      buffer: async () => buffer,
      stream: () => Readable.from(buffer),
      etag,
      lastModifiedAt: validLastModified,
    };
  }
}

function hasGlob(pathname: string): boolean {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // A malformed escape is no pattern; the server will judge the path.
  }
  return picomatch.scan(decoded).isGlob;
}

function toRedirectTarget(safeUrl: string, location: string, base: URL): URL {
  try {
    return new URL(location, base);
  } catch {
    throw UrlFetchError.invalidRedirect(safeUrl, location);
  }
}

function readHeader(
  response: http.IncomingMessage,
  name: string,
): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Sends a GET request that connects to `address` and nowhere else: the
 * request's own `lookup` answers with it, so a second DNS answer cannot
 * redirect the connection (DNS rebinding). TLS still verifies the
 * certificate against the URL's host name.
 */
function sendRequest(
  url: URL,
  address: ResolvedAddress,
  headers: http.OutgoingHttpHeaders,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) {
      callback(null, [address]);
    } else {
      callback(null, address.address, address.family);
    }
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      // A fresh socket per request: a pooled one may belong to an address
      // checked for another request.
      { method: 'GET', headers, signal, lookup, agent: false },
      resolve,
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * Reads a response body of at most `maxSize` bytes: refused up front when
 * `Content-Length` announces more, and cut off as soon as more arrives.
 *
 * @throws {@link RuntimeServiceError} `URL_READ_TOO_LARGE` over the limit;
 *   {@link UrlFetchError} when the connection breaks. When `signal` has
 *   aborted, the abort error is rethrown as it is.
 */
async function readResponseBody(
  response: http.IncomingMessage,
  options: { safeUrl: string; maxSize: number; signal: AbortSignal },
): Promise<Buffer> {
  const { safeUrl, maxSize, signal } = options;
  const announced = Number(response.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxSize) {
    response.destroy();
    throw new RuntimeServiceError(
      'URL_READ_TOO_LARGE',
      `Cannot read '${safeUrl}': the server announces ${announced} bytes, more than the limit of ${maxSize} bytes. Raise 'backend.reading.maxSize' to read it.`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxSize) {
        response.destroy();
        throw new RuntimeServiceError(
          'URL_READ_TOO_LARGE',
          `Cannot read '${safeUrl}': the content exceeds the limit of ${maxSize} bytes. Raise 'backend.reading.maxSize' to read it.`,
        );
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof RuntimeServiceError || signal.aborted) {
      throw error;
    }
    throw UrlFetchError.network(safeUrl, error);
  }
  return Buffer.concat(chunks);
}
