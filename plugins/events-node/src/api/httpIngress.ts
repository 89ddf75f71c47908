import type { IncomingMessage } from 'node:http';

/**
 * Query parameters of a request, as express parses them.
 *
 * @public
 */
export interface ParsedQueryString {
  [key: string]:
    (ParsedQueryString | string)[] | ParsedQueryString | string | undefined;
}

/**
 * The parts of an incoming event request a {@link RequestValidator} checks.
 *
 * @public
 */
export interface RequestDetails {
  /** The body, already parsed for JSON payloads. */
  body: unknown;
  /** The headers, with lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** The query parameters. */
  query: ParsedQueryString;
  /** The body as it arrived, for signature checks over the exact bytes. */
  raw: {
    /** The body's bytes. */
    body: Buffer;
    /** How to decode `body`, as in `raw.body.toString(raw.encoding)`. */
    encoding: BufferEncoding;
  };
}

/**
 * The response sent when a validator rejects an event request.
 *
 * @public
 */
export interface RequestRejectionDetails {
  /** The HTTP status, such as 401 or 403. */
  status: number;
  /** The response body. */
  payload: unknown;
  /** @defaultValue `'application/json'` */
  contentType?: 'application/json' | 'text/plain';
}

/**
 * What a {@link RequestValidator} can do with a request: reject it.
 *
 * @public
 */
export interface RequestValidationContext {
  /** Rejects the request, with the details sent back to the caller. */
  reject(details?: Partial<RequestRejectionDetails>): void;
}

/**
 * Checks an event request before it is published, such as a webhook's
 * signature; it rejects through the context, or returns to accept.
 *
 * @public
 */
export type RequestValidator = (
  request: RequestDetails,
  context: RequestValidationContext,
) => Promise<void>;

/**
 * An HTTP endpoint of the events plugin that publishes each request it
 * receives on a topic.
 *
 * @public
 */
export interface HttpPostIngressOptions {
  /** The topic, which is also the endpoint's path: `/http/<topic>`. */
  topic: string;
  /** @defaultValue none: every request is accepted */
  validator?: RequestValidator;
}

/**
 * The result of an {@link HttpBodyParser}.
 *
 * @public
 */
export type HttpBodyParsed = {
  /** The payload to publish. */
  // `any` as in Backstage, so parsers written for it type-check here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  bodyParsed: any;
  /** The body's bytes, for validators. */
  bodyBuffer: Buffer;
  /** How the bytes are encoded. */
  encoding: string;
};

/**
 * A media type as the `content-type` package parses it.
 *
 * @public
 */
export interface ParsedMediaType {
  /** The type, such as `application/json`. */
  type: string;
  /** Its parameters, such as `{ charset: 'utf-8' }`. */
  parameters: { [key: string]: string };
}

/**
 * Reads the body of an event request of one content type. The request is
 * an express request (an `IncomingMessage` with `body` and more).
 *
 * @public
 */
export type HttpBodyParser = (
  request: IncomingMessage,
  parsedMediaType: ParsedMediaType,
  topic: string,
) => Promise<HttpBodyParsed>;

/**
 * A body parser for the events plugin's HTTP ingress, for one content type.
 *
 * @public
 */
export interface HttpBodyParserOptions {
  /** The content type the parser reads, such as `application/x-www-form-urlencoded`. */
  contentType: string;
  /** The parser. */
  parser: HttpBodyParser;
}
