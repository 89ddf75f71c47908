import type { Entity } from '@plinth/catalog-model';
import type { LocationSpec } from '../processing/LocationSpec';

/**
 * The body of `POST /analyze-location`.
 *
 * @public
 */
export interface AnalyzeLocationRequest {
  location: LocationSpec;
  /** The catalog file name to look for. @defaultValue `'catalog-info.yaml'` */
  catalogFilename?: string;
}

/**
 * What `POST /analyze-location` answers: entity files that exist at the
 * location, and entities it suggests creating when there are none.
 *
 * @public
 */
export interface AnalyzeLocationResponse {
  existingEntityFiles: AnalyzeLocationExistingEntity[];
  generateEntities: AnalyzeLocationGenerateEntity[];
}

/**
 * An entity found in an existing catalog file.
 *
 * @public
 */
export interface AnalyzeLocationExistingEntity {
  location: LocationSpec;
  /** Whether the catalog already has this location registered. */
  isRegistered: boolean;
  entity: Entity;
}

/**
 * An entity the analyzer suggests, with the fields it filled or needs.
 *
 * @public
 */
export interface AnalyzeLocationGenerateEntity {
  entity: Partial<Entity>;
  fields: AnalyzeLocationEntityField[];
}

/**
 * One field of a suggested entity and how sure the analyzer is of it.
 *
 * @public
 */
export interface AnalyzeLocationEntityField {
  /** Dotted path, such as `spec.owner`. */
  field: string;
  state:
    'analysisSuggestedValue' | 'analysisSuggestedNoValue' | 'needsUserInput';
  value: string | null;
  description: string;
}
