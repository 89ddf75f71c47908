import type {
  AnalyzeLocationRequest,
  AnalyzeLocationResponse,
} from '@plinth/plugin-catalog-node';

/**
 * Answers `POST /analyze-location`: which catalog files a location already
 * has, or which entity to create for it.
 *
 * @internal
 */
export interface LocationAnalyzer {
  analyzeLocation(
    request: AnalyzeLocationRequest,
  ): Promise<AnalyzeLocationResponse>;
}
