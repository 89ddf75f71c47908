import type { Entity } from '@plinth/catalog-model';
import type * as jsYaml from 'js-yaml';
import { parseEntityYaml } from './parseEntityYaml';

/** How many documents js-yaml has returned, to see when they are read. */
let documentsRead = 0;
jest.mock('js-yaml', () => {
  const actual = jest.requireActual<typeof jsYaml>('js-yaml');
  return {
    ...actual,
    loadAll: (text: string, iterator: null, options: jsYaml.LoadOptions) => {
      const documents = actual.loadAll(text, iterator, options);
      documentsRead += documents.length;
      return documents;
    },
  };
});

const location = { type: 'file', target: '/repo/catalog-info.yaml' };

function parse(text: string) {
  return [...parseEntityYaml(Buffer.from(text), location)];
}

describe('parseEntityYaml', () => {
  it('emits one entity per document with its location', () => {
    const results = parse(
      'kind: Component\nmetadata: { name: a }\n---\nkind: API\nmetadata: { name: b }\n---\n',
    );
    expect(results).toEqual([
      {
        type: 'entity',
        location,
        entity: { kind: 'Component', metadata: { name: 'a' } },
      },
      {
        type: 'entity',
        location,
        entity: { kind: 'API', metadata: { name: 'b' } },
      },
    ]);
  });

  it('reports a YAML syntax error with the location and line, and keeps the other documents', () => {
    const results = parse(
      'kind: Component\nmetadata: { name: a }\n---\nkind: [unclosed\n',
    );
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ type: 'entity' });
    expect(results[1]).toMatchObject({ type: 'error', location });
    const error = (results[1] as { error: Error }).error;
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^YAML error in 'file:\/repo\/catalog-info.yaml' at line \d+, column \d+: /,
    );
  });

  it('reports a document that is not an object', () => {
    const results = parse('kind: Component\n---\n- a\n- b\n');
    expect(results[1]).toMatchObject({ type: 'error' });
    expect((results[1] as { error: Error }).error.message).toBe(
      "Expected an entity object in 'file:/repo/catalog-info.yaml' at line 3, got an array.",
    );
  });

  it('reports a scalar document', () => {
    const results = parse('just a string\n');
    expect((results[0] as { error: Error }).error.message).toBe(
      "Expected an entity object in 'file:/repo/catalog-info.yaml' at line 1, got string.",
    );
  });

  it('keeps dates and version-like values as strings, as the core schema reads them', () => {
    const results = parse(
      'kind: Component\nmetadata:\n  name: a\n  annotations: { created: 2024-01-31, version: 1.10 }\n',
    );
    expect(results).toEqual([
      {
        type: 'entity',
        location,
        entity: {
          kind: 'Component',
          metadata: {
            name: 'a',
            annotations: { created: '2024-01-31', version: 1.1 },
          },
        },
      },
    ]);
  });

  it('reports a duplicate key with its line, and keeps the other documents', () => {
    const results = parse(
      'kind: Component\nmetadata: { name: a }\n---\nkind: API\nkind: Group\n',
    );
    expect(results[0]).toMatchObject({ type: 'entity' });
    expect((results[1] as { error: Error }).error.message).toMatch(
      /^YAML error in 'file:\/repo\/catalog-info.yaml' at line 5, column 1: Map keys must be unique/,
    );
  });

  it('points a mis-indented line at its first character, not at column 1', () => {
    const [result] = parse(
      'kind: Component\nmetadata:\n    name: a\n   namespace: b\n',
    );
    expect((result as { error: Error }).error.message).toMatch(
      /^YAML error in 'file:\/repo\/catalog-info.yaml' at line 4, column 4: /,
    );
  });

  it('skips empty documents', () => {
    expect(parse('---\n---\n')).toEqual([]);
  });

  it('keeps the documents after a bad one, with the line numbers of the whole file', () => {
    const results = parse(
      'kind: A\n---\nkind: [unclosed\n---\nkind: B\n---\n- x\n',
    );

    expect(results.map(r => r.type)).toEqual([
      'entity',
      'error',
      'entity',
      'error',
    ]);
    expect((results[1] as { error: Error }).error.message).toMatch(
      /^YAML error in 'file:\/repo\/catalog-info.yaml' at line 4, column 1: /,
    );
    expect(results[2]).toMatchObject({ entity: { kind: 'B' } });
    expect((results[3] as { error: Error }).error.message).toBe(
      "Expected an entity object in 'file:/repo/catalog-info.yaml' at line 7, got an array.",
    );
  });

  it('reads documents whose marker line holds content, or that end with a document end marker', () => {
    const results = parse('--- {kind: A}\n--- \nkind: B\n...\nkind: C\n');

    expect(results.map(r => (r as { entity: Entity }).entity)).toEqual([
      { kind: 'A' },
      { kind: 'B' },
      { kind: 'C' },
    ]);
  });

  it('leaves a marker that is not at the start of a line inside its document', () => {
    const results = parse('kind: A\ndescription: |\n  ---\n  text\n');

    expect(results).toEqual([
      {
        type: 'entity',
        location,
        entity: { kind: 'A', description: '---\ntext\n' },
      },
    ]);
  });

  it('reads a file with directives, which belong to the document after them', () => {
    const results = parse('%YAML 1.2\n---\nkind: A\n---\nkind: B\n');

    expect(results.map(r => (r as { entity: Entity }).entity)).toEqual([
      { kind: 'A' },
      { kind: 'B' },
    ]);
  });

  it('reads each document only once the results before it are consumed', () => {
    documentsRead = 0;
    const results = parseEntityYaml(
      Buffer.from('kind: A\n---\nkind: B\n---\nkind: C\n'),
      location,
    )[Symbol.iterator]();

    expect(results.next().value).toMatchObject({ entity: { kind: 'A' } });
    expect(documentsRead).toBe(1);
    expect(results.next().value).toMatchObject({ entity: { kind: 'B' } });
    expect(documentsRead).toBe(2);
  });
});
