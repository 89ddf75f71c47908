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
import { resolveScmUrls } from './resolveScmUrls';

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
