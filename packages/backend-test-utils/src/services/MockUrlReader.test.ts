import { MockUrlReader } from './MockUrlReader';

describe('MockUrlReader', () => {
  const reader = new MockUrlReader({
    'https://git.example.com/repo/catalog-info.yaml': 'kind: Component\n',
    'https://git.example.com/repo/apis/a.yaml': 'kind: API\n',
    'https://git.example.com/repo/apis/b.yaml': 'kind: API\n',
  });

  it('reads the content at a URL with an ETag that detects no change', async () => {
    const url = 'https://git.example.com/repo/catalog-info.yaml';
    const response = await reader.readUrl(url);
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
    await expect(
      reader.readUrl(url, { etag: response.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('names an unknown URL', async () => {
    await expect(
      reader.readUrl('https://git.example.com/missing.yaml'),
    ).rejects.toThrow(
      "The mock URL reader has no content at 'https://git.example.com/missing.yaml'; add it with new MockUrlReader({ 'https://git.example.com/missing.yaml': ... }).",
    );
  });

  it('finds the URLs a glob matches', async () => {
    const result = await reader.search(
      'https://git.example.com/repo/**/*.yaml',
    );
    expect(result.files.map(f => f.url)).toEqual([
      'https://git.example.com/repo/catalog-info.yaml',
      'https://git.example.com/repo/apis/a.yaml',
      'https://git.example.com/repo/apis/b.yaml',
    ]);
  });

  it('reads every file below a prefix as a tree and refuses archives', async () => {
    const tree = await reader.readTree('https://git.example.com/repo/apis');
    const files = await tree.files();
    expect(files.map(f => f.path)).toEqual(['a.yaml', 'b.yaml']);
    await expect(tree.archive()).rejects.toThrow(
      'The mock URL reader does not support readTree(...).archive(); use files().',
    );
    await expect(
      reader.readTree('https://git.example.com/none'),
    ).rejects.toThrow(
      "The mock URL reader has no content below 'https://git.example.com/none/'.",
    );
  });

  it('serves changed and removed content', async () => {
    const local = new MockUrlReader();
    local.set('https://x/a', 'one');
    expect(
      (await (await local.readUrl('https://x/a')).buffer()).toString(),
    ).toBe('one');
    local.set('https://x/a', undefined);
    await expect(local.readUrl('https://x/a')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('reports an unchanged tree or search by its ETag', async () => {
    const tree = await reader.readTree('https://git.example.com/repo/apis');
    await expect(
      reader.readTree('https://git.example.com/repo/apis', { etag: tree.etag }),
    ).rejects.toThrow(
      "Nothing below 'https://git.example.com/repo/apis/' has changed.",
    );
    const glob = 'https://git.example.com/repo/**/*.yaml';
    const found = await reader.search(glob);
    await expect(reader.search(glob, { etag: found.etag })).rejects.toThrow(
      `Nothing '${glob}' matches has changed.`,
    );
  });
});
