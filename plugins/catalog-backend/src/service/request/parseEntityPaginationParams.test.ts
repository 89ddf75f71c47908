import type { EntityOrderField } from '../../entities/EntitiesCatalog';
import { mockServices } from '@plinth/backend-test-utils';
import { digestOrder, encodeAfterCursor, encodeCursor } from './cursor';
import { parseEntityPaginationParams } from './parseEntityPaginationParams';
import { readQueryLimits } from './readQueryLimits';

const limits = readQueryLimits(
  mockServices.rootConfig({
    data: {
      catalog: {
        pagination: { maxLimit: 500 },
        queryLimits: { maxCursorLength: 200 },
      },
    },
  }),
);
const byName: EntityOrderField[] = [{ field: 'metadata.name', order: 'asc' }];

function parse(query: Record<string, unknown>, order: EntityOrderField[] = []) {
  return parseEntityPaginationParams(query, { order, limits });
}

describe('parseEntityPaginationParams', () => {
  it('leaves the limit out when none is given, for a listing of every match, and reads limit and offset', () => {
    expect(parse({})).toEqual({});
    expect(parse({ limit: '500', offset: '0' })).toEqual({
      limit: 500,
      offset: 0,
    });
  });

  it('reads the position of an after cursor made for the same order', () => {
    const after = encodeAfterCursor(byName, [null, 'component:default/a']);
    expect(parse({ after, limit: '2' }, byName)).toEqual({
      limit: 2,
      after: [null, 'component:default/a'],
    });
  });

  it.each([
    [
      { limit: '0' },
      "Invalid query parameter 'limit': expected an integer of at least 1, got '0'.",
    ],
    [
      { limit: '1.5' },
      "Invalid query parameter 'limit': expected an integer of at least 1, got '1.5'.",
    ],
    [
      { limit: '501' },
      "Invalid query parameter 'limit': expected an integer of at most 500 (set by 'catalog.pagination.maxLimit'), got '501'. Ask for fewer and follow the pages.",
    ],
    [
      { limit: ['1', '2'] },
      "Invalid query parameter 'limit': expected one value, got 2 ('1', '2'). Pass 'limit' once.",
    ],
    [
      { offset: '-1' },
      "Invalid query parameter 'offset': expected an integer of at least 0, got '-1'.",
    ],
    [
      { offset: '1', after: 'e30' },
      "Invalid query parameters: 'offset' and 'after' cannot be combined, as both say where the page starts. Pass one of them.",
    ],
  ])('rejects %j', (query, message) => {
    expect(() => parse(query)).toThrow(message);
  });

  it('rejects an after cursor made for another order', () => {
    const after = encodeAfterCursor([], ['a']);
    expect(() => parse({ after }, byName)).toThrow(
      `Invalid query parameter 'after': it continues a listing in another 'order'. Keep 'order' as in the rel="next" link, or leave 'after' out to start over.`,
    );
  });

  it('rejects an after cursor without a position', () => {
    const after = encodeCursor({ order: digestOrder([]) });
    expect(() => parse({ after })).toThrow(
      `Invalid query parameter 'after' ('${after}'): its 'position' is not a position in its order. Follow the rel="next" link of an earlier response as it is, or leave 'after' out to start over.`,
    );
  });

  it('rejects an after cursor longer than maxCursorLength before decoding it', () => {
    const after = encodeAfterCursor([], ['x'.repeat(300)]);
    expect(() => parse({ after })).toThrow(
      `Invalid query parameter 'after': it is ${after.length} characters long, more than the 200 that 'catalog.queryLimits.maxCursorLength' allows. Follow the rel="next" link of an earlier response as it is, or leave 'after' out to start over.`,
    );
  });
});
