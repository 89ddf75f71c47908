import { createExtensionPoint } from '@plinth/backend-plugin-api';
import type { ScmLocationAnalyzer } from '../analysis/ScmLocationAnalyzer';

/**
 * Lets catalog modules teach `POST /analyze-location` about more source
 * control hosts.
 *
 * @public
 */
export interface CatalogAnalysisExtensionPoint {
  addScmLocationAnalyzer(analyzer: ScmLocationAnalyzer): void;
}

/**
 * The `catalog.analysis` extension point.
 *
 * @public
 */
export const catalogAnalysisExtensionPoint =
  createExtensionPoint<CatalogAnalysisExtensionPoint>({
    id: 'catalog.analysis',
  });
