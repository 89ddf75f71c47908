import { resolveScmUrls } from './resolveScmUrls';

describe('resolveScmUrls', () => {
  it('follows the GitHub conventions', () => {
    expect(
      resolveScmUrls(
        'https://github.com/acme/shop/blob/main/services/cart/catalog-info.yaml',
      ),
    ).toEqual({
      editUrl:
        'https://github.com/acme/shop/edit/main/services/cart/catalog-info.yaml',
      sourceUrl: 'https://github.com/acme/shop/tree/main/services/cart/',
    });
  });

  it('follows the GitLab conventions', () => {
    expect(
      resolveScmUrls(
        'https://gitlab.example.com/acme/shop/-/blob/main/catalog-info.yaml?ref_type=heads',
      ),
    ).toEqual({
      editUrl:
        'https://gitlab.example.com/acme/shop/-/edit/main/catalog-info.yaml',
      sourceUrl: 'https://gitlab.example.com/acme/shop/-/tree/main/',
    });
  });

  it('knows only the folder of a URL of another host', () => {
    expect(resolveScmUrls('https://files.example.com/catalog/a.yaml')).toEqual({
      sourceUrl: 'https://files.example.com/catalog/',
    });
  });

  it('knows nothing of URLs that are not http(s)', () => {
    expect(resolveScmUrls('file:///repo/a.yaml')).toBeUndefined();
    expect(resolveScmUrls('not a url')).toBeUndefined();
  });
});
