import type { Entity } from '@plinth/catalog-model';
import {
  AnnotateLocationEntityProcessor,
  resolveScmUrls,
} from './AnnotateLocationEntityProcessor';

const processor = new AnnotateLocationEntityProcessor();

function component(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'cart', ...(annotations ? { annotations } : {}) },
    spec: { type: 'service' },
  };
}

const fileUrl = 'https://github.com/acme/shop/blob/main/cart/catalog-info.yaml';
const origin = {
  type: 'url',
  target: 'https://github.com/acme/shop/blob/main/all.yaml',
};

describe('AnnotateLocationEntityProcessor', () => {
  it('runs after placeholders and before default-priority processors', () => {
    expect(processor.getPriority()).toBe(15);
  });

  it('annotates an entity from a url location with its locations, view, edit and source URLs', async () => {
    const result = await processor.preProcessEntity(
      component({ team: 'a' }),
      { type: 'url', target: fileUrl },
      () => {},
      origin,
    );
    expect(result.metadata.annotations).toEqual({
      team: 'a',
      'backstage.io/managed-by-location': `url:${fileUrl}`,
      'backstage.io/managed-by-origin-location': `url:${origin.target}`,
      'backstage.io/view-url': fileUrl,
      'backstage.io/edit-url':
        'https://github.com/acme/shop/edit/main/cart/catalog-info.yaml',
      'backstage.io/source-location':
        'url:https://github.com/acme/shop/tree/main/cart/',
    });
  });

  it('annotates an entity from a file location with its locations only', async () => {
    const location = { type: 'file', target: '/repo/catalog-info.yaml' };
    const result = await processor.preProcessEntity(
      component(),
      location,
      () => {},
      location,
    );
    expect(result.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml',
      'backstage.io/managed-by-origin-location': 'file:/repo/catalog-info.yaml',
    });
  });

  it('keeps view, edit and source annotations the entity sets itself', async () => {
    const own = {
      'backstage.io/view-url': 'https://docs.example.com/cart',
      'backstage.io/edit-url': 'https://edit.example.com/cart',
      'backstage.io/source-location': 'url:https://git.example.com/cart/',
    };
    const result = await processor.preProcessEntity(
      component(own),
      { type: 'url', target: fileUrl },
      () => {},
      origin,
    );
    expect(result.metadata.annotations).toMatchObject(own);
  });

  it('overrides location annotations the entity sets itself', async () => {
    const result = await processor.preProcessEntity(
      component({
        'backstage.io/managed-by-location':
          'url:https://evil.example.com/a.yaml',
      }),
      { type: 'url', target: fileUrl },
      () => {},
      origin,
    );
    expect(
      result.metadata.annotations?.['backstage.io/managed-by-location'],
    ).toBe(`url:${fileUrl}`);
  });
});

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
