import { resolveLocationTarget } from './locationTargets';

describe('resolveLocationTarget', () => {
  it('resolves a relative file path against the folder of the file', () => {
    expect(
      resolveLocationTarget(
        { type: 'file', target: '/repo/catalog/all.yaml' },
        'file',
        '../team/a.yaml',
      ),
    ).toBe('/repo/team/a.yaml');
  });

  it('resolves a relative url against the url', () => {
    expect(
      resolveLocationTarget(
        {
          type: 'url',
          target: 'https://example.com/org/repo/blob/main/catalog-info.yaml',
        },
        'url',
        './docs/api.yaml',
      ),
    ).toBe('https://example.com/org/repo/blob/main/docs/api.yaml');
  });

  it('keeps absolute targets and targets of another type as written', () => {
    const base = { type: 'file', target: '/repo/all.yaml' };
    expect(resolveLocationTarget(base, 'file', '/abs/a.yaml')).toBe(
      '/abs/a.yaml',
    );
    expect(resolveLocationTarget(base, 'url', './a.yaml')).toBe('./a.yaml');
    expect(
      resolveLocationTarget({ type: 'github', target: 'x' }, 'github', 'y'),
    ).toBe('y');
  });

  it('rejects a url target that cannot be resolved', () => {
    expect(() =>
      resolveLocationTarget(
        { type: 'url', target: 'not a url' },
        'url',
        './a.yaml',
      ),
    ).toThrow(
      "Cannot resolve the url target './a.yaml' against 'not a url': neither is an absolute URL. Write the target as an absolute URL.",
    );
  });
});
