import { parseEntityYaml } from './parseEntityYaml';

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

  it('skips empty documents', () => {
    expect(parse('---\n---\n')).toEqual([]);
  });
});
