import { findDeepYamlNesting } from './findDeepYamlNesting';
import { readYamlDocuments } from './readYamlDocuments';

describe('findDeepYamlNesting', () => {
  it('finds flow brackets nested deeper than the limit, on the line they pass it', () => {
    expect(findDeepYamlNesting(`kind: A\nspec: ${'['.repeat(5)}`, 5)).toBe(2);
    expect(findDeepYamlNesting(`kind: A\nspec: ${'['.repeat(4)}`, 5)).toBe(
      undefined,
    );
  });

  it('finds block levels opened by indentation and by `- ` entries', () => {
    const indented = Array.from(
      { length: 6 },
      (_, i) => `${'  '.repeat(i)}k${i}:`,
    ).join('\n');
    expect(findDeepYamlNesting(indented, 5)).toBe(6);
    expect(findDeepYamlNesting(`a: 1\n${'- '.repeat(6)}x`, 5)).toBe(2);
  });

  it('does not count brackets in quotes, comments, plain text or block scalars', () => {
    const text = [
      `a: "${'['.repeat(20)}"`,
      `b: '${'{'.repeat(20)}' # ${'['.repeat(20)}`,
      `c: it's text [${'['.repeat(20)}`,
      'd: |',
      `  ${'['.repeat(20)}`,
      `      ${'- '.repeat(20)}`,
      'e: [[1]]',
    ].join('\n');
    expect(findDeepYamlNesting(text, 5)).toBe(undefined);
  });

  it('scans a megabyte of nesting in one linear pass, stopping at the limit', () => {
    for (const text of [
      '['.repeat(1_000_000),
      '- '.repeat(500_000),
      Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}- `).join('\n'),
    ]) {
      expect(findDeepYamlNesting(text, 64)).toBe(text.includes('\n') ? 64 : 1);
    }
  });
});

describe('readYamlDocuments beyond the size it reads twice', () => {
  it("keeps js-yaml's error and position for each broken document of a large stream", () => {
    const filler = `# ${'x'.repeat(70_000)}\n`;
    const documents = readYamlDocuments(
      `${filler}kind: A\n---\nkind: [B\n---\nkind: C\n`,
    );
    expect(documents).toEqual([
      { line: 2, value: { kind: 'A' } },
      {
        line: 4,
        syntaxError: {
          line: 5,
          col: 1,
          message: expect.stringContaining('flow collection'),
        },
      },
      { line: 6, value: { kind: 'C' } },
    ]);
  });
});
