import { mockServices } from '@plinth/backend-test-utils';
import {
  parseEntityFieldsParams,
  parseEntityOrderParams,
  parseEntityOrderFieldParams,
} from './parseFieldPathParams';
import { readQueryLimits } from './readQueryLimits';

const limits = readQueryLimits(mockServices.rootConfig());

describe('parseEntityFieldsParams', () => {
  it('splits repeated and comma-separated paths, trims them and drops duplicates', () => {
    expect(
      parseEntityFieldsParams(
        { fields: ['kind, metadata.name', 'kind'] },
        limits,
        ['spec.type'],
      ),
    ).toEqual(['kind', 'metadata.name', 'spec.type']);
  });

  it('answers undefined when no path is given', () => {
    expect(parseEntityFieldsParams({}, limits)).toBeUndefined();
    expect(
      parseEntityFieldsParams({ fields: ' , ' }, limits, []),
    ).toBeUndefined();
  });

  it('rejects array indexes, empty parts and unknown or miscased roots', () => {
    expect(() =>
      parseEntityFieldsParams({ fields: 'relations[0]' }, limits),
    ).toThrow(
      "Invalid fields: 'relations[0]' has an array index; name object keys only, as in 'metadata.tags'.",
    );
    expect(() =>
      parseEntityFieldsParams({ fields: 'metadata.' }, limits),
    ).toThrow(
      "Invalid fields: 'metadata.' has an empty part; separate the keys of a path with single dots, as in 'metadata.name'.",
    );
    expect(() => parseEntityFieldsParams({}, limits, ['Kind'])).toThrow(
      "Invalid fields: 'Kind' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });

  it('refuses more fields than catalog.queryLimits allows, and prototype paths', () => {
    expect(() =>
      parseEntityFieldsParams(
        {
          fields: Array.from({ length: 51 }, (_, i) => `spec.f${i}`).join(','),
        },
        limits,
      ),
    ).toThrow(
      "Invalid query parameter 'fields': 51 field paths given, more than the 50 that 'catalog.queryLimits.maxFields' allows. Ask for fewer, or split the request.",
    );
    expect(() =>
      parseEntityFieldsParams(
        { fields: 'metadata.__proto__.polluted' },
        limits,
      ),
    ).toThrow(
      "Invalid fields: 'metadata.__proto__.polluted' has the part '__proto__', which names an object's prototype, never an entity field.",
    );
  });
});

describe('parseEntityOrderParams', () => {
  it('reads each order parameter as a direction and a field', () => {
    expect(
      parseEntityOrderParams(
        {
          order: ['desc:spec.type', 'asc:metadata.name'],
        },
        limits,
      ),
    ).toEqual([
      { order: 'desc', field: 'spec.type' },
      { order: 'asc', field: 'metadata.name' },
    ]);
    expect(parseEntityOrderParams({}, limits)).toBeUndefined();
  });

  it.each(['metadata.name', 'up:metadata.name', 'asc:', 'ASC:kind'])(
    "rejects '%s', which is not '<asc or desc>:<field>'",
    order => {
      expect(() => parseEntityOrderParams({ order }, limits)).toThrow(
        `Invalid query parameter 'order': expected '<asc or desc>:<field>', as in 'asc:metadata.name', got '${order}'.`,
      );
    },
  );

  it('rejects a field outside the entity', () => {
    expect(() => parseEntityOrderParams({ order: 'asc:name' }, limits)).toThrow(
      "Invalid query parameter 'order': 'name' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });

  it('refuses more order fields than catalog.queryLimits allows', () => {
    expect(() =>
      parseEntityOrderParams(
        { order: Array.from({ length: 50 }, (_, i) => `asc:spec.f${i}`) },
        limits,
      ),
    ).toThrow(
      "Invalid query parameter 'order': 50 order fields given, more than the 5 that 'catalog.queryLimits.maxOrderFields' allows. Ask for fewer, or split the request.",
    );
  });
});

describe('parseEntityOrderFieldParams', () => {
  it('reads each orderField as a field and a direction, ascending by default', () => {
    expect(
      parseEntityOrderFieldParams(
        {
          orderField: ['metadata.name, desc', 'kind'],
        },
        limits,
      ),
    ).toEqual([
      { field: 'metadata.name', order: 'desc' },
      { field: 'kind', order: 'asc' },
    ]);
    expect(parseEntityOrderFieldParams({}, limits)).toEqual([]);
  });

  it.each(['metadata.name,up', ',asc', 'kind,asc,desc'])(
    "rejects '%s', which is not '<field>,<asc or desc>'",
    orderField => {
      expect(() => parseEntityOrderFieldParams({ orderField }, limits)).toThrow(
        `Invalid query parameter 'orderField': expected '<field>,<asc or desc>', as in 'metadata.name,asc', got '${orderField}'.`,
      );
    },
  );

  it('rejects a field outside the entity', () => {
    expect(() =>
      parseEntityOrderFieldParams({ orderField: 'uid' }, limits),
    ).toThrow(
      "Invalid query parameter 'orderField': 'uid' does not start with a top-level entity field; start it with one of 'apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'.",
    );
  });
});
