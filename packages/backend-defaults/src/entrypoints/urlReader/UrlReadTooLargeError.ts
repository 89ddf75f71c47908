import { CustomErrorBase } from '@plinth/errors';

const fix = "Raise 'backend.reading.maxSize' to read it.";

/**
 * The content of a URL is larger than `backend.reading.maxSize` allows.
 *
 * @public
 */
export class UrlReadTooLargeError extends CustomErrorBase {
  readonly name = 'UrlReadTooLargeError' as const;

  /** The server announced a larger `Content-Length` than the limit. */
  static fromContentLength(
    url: string,
    length: number,
    maxSize: number,
  ): UrlReadTooLargeError {
    return new UrlReadTooLargeError(
      url,
      maxSize,
      `Cannot read '${url}': the server announces ${length} bytes, more than the limit of ${maxSize} bytes. ${fix}`,
    );
  }

  /** More bytes than the limit arrived, whatever the server announced. */
  static fromStream(url: string, maxSize: number): UrlReadTooLargeError {
    return new UrlReadTooLargeError(
      url,
      maxSize,
      `Cannot read '${url}': the content exceeds the limit of ${maxSize} bytes. ${fix}`,
    );
  }

  /** A file is larger than the limit. */
  static fromFile(
    url: string,
    size: number,
    maxSize: number,
  ): UrlReadTooLargeError {
    return new UrlReadTooLargeError(
      url,
      maxSize,
      `Cannot read '${url}': the file has ${size} bytes, more than the limit of ${maxSize} bytes. ${fix}`,
    );
  }

  private constructor(
    /** The URL, with credentials, query values and fragment masked. */
    readonly url: string,
    /** The limit in bytes. */
    readonly maxSize: number,
    message: string,
  ) {
    super(message);
  }
}
