import { ResponseError } from './ResponseError';

function response(status: number, body: string) {
  return {
    status,
    statusText: status === 404 ? 'Not Found' : 'Internal Server Error',
    url: 'http://localhost:7007/api/catalog/entities',
    text: async () => body,
  };
}

describe('ResponseError', () => {
  it('names the URL, status and remote error from a standard error body', async () => {
    const error = await ResponseError.fromResponse(
      response(
        404,
        JSON.stringify({
          error: { name: 'NotFoundError', message: "No entity 'x'" },
          response: { statusCode: 404 },
        }),
      ),
    );
    expect(error.message).toBe(
      "Request to 'http://localhost:7007/api/catalog/entities' failed with 404, NotFoundError: No entity 'x'",
    );
    expect(error.statusCode).toBe(404);
    expect(error.remoteError).toEqual({
      name: 'NotFoundError',
      message: "No entity 'x'",
    });
  });

  it('falls back to the raw body when it is not a standard error', async () => {
    const error = await ResponseError.fromResponse(
      response(500, 'upstream exploded'),
    );
    expect(error.message).toBe(
      "Request to 'http://localhost:7007/api/catalog/entities' failed with 500, upstream exploded",
    );
    expect(error.remoteError).toBeUndefined();
  });

  it('falls back to the status text for an empty body', async () => {
    const error = await ResponseError.fromResponse(response(404, ''));
    expect(error.message).toBe(
      "Request to 'http://localhost:7007/api/catalog/entities' failed with 404, Not Found",
    );
  });
});
