import { readYamlDocuments } from './readYamlDocuments';

describe('readYamlDocuments', () => {
  it('reads each non-empty document with the line its content starts on', () => {
    const text = [
      '# the team',
      '---',
      'kind: Group',
      'spec:',
      '  description: |',
      '    ---',
      '    not a marker: indented',
      '--- {kind: API}',
      '---',
      '',
      '---',
      'kind: Component',
      '---',
    ].join('\n');
    expect(readYamlDocuments(text)).toEqual([
      {
        line: 3,
        value: {
          kind: 'Group',
          spec: { description: '---\nnot a marker: indented\n' },
        },
      },
      { line: 8, value: { kind: 'API' } },
      { line: 12, value: { kind: 'Component' } },
    ]);
  });

  it('reports a syntax error with its position and reads the documents after it', () => {
    expect(readYamlDocuments('kind: A\n---\nkind: [B\n---\nkind: C\n')).toEqual(
      [
        { line: 1, value: { kind: 'A' } },
        {
          line: 3,
          syntaxError: {
            line: 4,
            col: 1,
            message:
              'Flow sequence in block collection must be sufficiently indented and end with a ] at line 4, column 1:',
          },
        },
        { line: 5, value: { kind: 'C' } },
      ],
    );
  });

  it('refuses a document whose aliases expand too far, as the yaml library bounds them', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e'].entries()) {
      const previous = String.fromCharCode(97 + i);
      levels.push(
        `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`,
      );
    }
    const [document] = readYamlDocuments(levels.join('\n'));
    expect(document).toEqual({
      line: 1,
      readError: 'Excessive alias count indicates a resource exhaustion attack',
    });
  });

  it('reads anchors within bounds through the yaml library', () => {
    expect(readYamlDocuments('a: &x {b: 1}\nc: *x\n')).toEqual([
      { line: 1, value: { a: { b: 1 }, c: { b: 1 } } },
    ]);
  });
});
