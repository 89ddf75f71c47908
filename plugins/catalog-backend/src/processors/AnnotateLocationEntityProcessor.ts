import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  stringifyLocationRef,
  type Entity,
} from '@plinth/catalog-model';
import type {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
} from '@plinth/plugin-catalog-node';

/**
 * Records where an entity came from in its annotations: the location that
 * keeps it and the location that first led to it, and for `url` locations
 * where to view and edit its file and the folder of its source.
 *
 * @remarks
 * The two location annotations always reflect the real locations, because
 * the catalog relies on them. The view, edit and source annotations are
 * suggestions: an entity that sets them itself keeps its own values.
 *
 * @internal
 */
export class AnnotateLocationEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'AnnotateLocationEntityProcessor';
  }

  /** After placeholders, before processors that read these annotations. */
  getPriority(): number {
    return 15;
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    _emit: CatalogProcessorEmit,
    originLocation: LocationSpec,
  ): Promise<Entity> {
    const suggested: Record<string, string> = {};
    if (location.type === 'url') {
      suggested[ANNOTATION_VIEW_URL] = location.target;
      const scm = resolveScmUrls(location.target);
      if (scm?.editUrl) {
        suggested[ANNOTATION_EDIT_URL] = scm.editUrl;
      }
      if (scm) {
        suggested[ANNOTATION_SOURCE_LOCATION] = stringifyLocationRef({
          type: 'url',
          target: scm.sourceUrl,
        });
      }
    }
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...suggested,
          ...entity.metadata.annotations,
          [ANNOTATION_LOCATION]: stringifyLocationRef(location),
          [ANNOTATION_ORIGIN_LOCATION]: stringifyLocationRef(originLocation),
        },
      },
    };
  }
}

/**
 * Where to edit a file and the folder that holds it, for a file URL of a
 * source control host.
 *
 * @internal
 */
export interface ScmUrls {
  /** Absent when the host's edit convention is not known. */
  editUrl?: string;
  /** The folder of the file, ending with `/`. */
  sourceUrl: string;
}

/** The path segment pairs that mark a file view and its edit and folder views. */
const conventions = [
  // GitLab: /group/project/-/blob/<ref>/path
  { file: '/-/blob/', edit: '/-/edit/', folder: '/-/tree/' },
  // GitHub and hosts that copy it: /owner/repo/blob/<ref>/path
  { file: '/blob/', edit: '/edit/', folder: '/tree/' },
];

/**
 * Derives the edit URL and the source folder of a file URL, following
 * the GitHub and GitLab URL conventions; for other hosts only the folder
 * is known.
 *
 * @returns undefined when `url` is not an http(s) URL.
 * @internal
 */
export function resolveScmUrls(url: string): ScmUrls | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return undefined;
  }
  parsed.search = '';
  parsed.hash = '';
  const folder = new URL('./', parsed);
  const convention = conventions.find(c => parsed.pathname.includes(c.file));
  if (!convention) {
    return { sourceUrl: folder.href };
  }
  const edit = new URL(parsed.href);
  edit.pathname = parsed.pathname.replace(convention.file, convention.edit);
  folder.pathname = folder.pathname.replace(convention.file, convention.folder);
  return { editUrl: edit.href, sourceUrl: folder.href };
}
