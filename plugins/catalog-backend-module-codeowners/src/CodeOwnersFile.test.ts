import { MockUrlReader } from '@plinth/backend-test-utils';
import { findRepositoryCodeOwners, splitRepositoryUrl } from './CodeOwnersFile';

describe('splitRepositoryUrl', () => {
  it('splits a GitHub-style file URL at its ref', () => {
    expect(
      splitRepositoryUrl(
        'https://github.com/acme/shop/blob/main/apis/My%20API/catalog-info.yaml',
      ),
    ).toEqual({
      root: 'https://github.com/acme/shop/blob/main/',
      entityPath: 'apis/My API/catalog-info.yaml',
    });
  });

  it('splits a GitLab-style file URL at its ref', () => {
    expect(
      splitRepositoryUrl(
        'https://gitlab.example.com/group/sub/shop/-/blob/v1.2/catalog-info.yaml',
      ),
    ).toEqual({
      root: 'https://gitlab.example.com/group/sub/shop/-/blob/v1.2/',
      entityPath: 'catalog-info.yaml',
    });
  });

  it('knows no repository for URLs of other shapes', () => {
    expect(
      splitRepositoryUrl('https://files.example.com/catalog-info.yaml'),
    ).toBeUndefined();
    expect(splitRepositoryUrl('not a url')).toBeUndefined();
  });
});

describe('findRepositoryCodeOwners', () => {
  it('finds no file in a repository without CODEOWNERS', async () => {
    await expect(
      findRepositoryCodeOwners(
        new MockUrlReader(),
        'https://github.com/acme/shop/blob/main/catalog-info.yaml',
      ),
    ).resolves.toBeUndefined();
  });

  it('reads the GitLab folder last', async () => {
    const root = 'https://gitlab.example.com/acme/shop/-/blob/main/';
    const found = await findRepositoryCodeOwners(
      new MockUrlReader({ [`${root}.gitlab/CODEOWNERS`]: '* @acme/a\n' }),
      `${root}catalog-info.yaml`,
    );
    expect(found).toEqual({
      url: `${root}.gitlab/CODEOWNERS`,
      content: '* @acme/a\n',
      etag: expect.any(String),
      entityPath: 'catalog-info.yaml',
    });
  });
});
