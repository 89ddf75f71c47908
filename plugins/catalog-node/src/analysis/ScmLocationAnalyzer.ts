import type { AnalyzeLocationExistingEntity } from './AnalyzeLocation';

/**
 * Finds existing catalog files in repositories of one kind of source
 * control host.
 *
 * @public
 */
export interface ScmLocationAnalyzer {
  /** Whether this analyzer handles the URL. */
  supports(url: string): boolean;
  analyze(options: {
    url: string;
    catalogFilename?: string;
  }): Promise<{ existing: AnalyzeLocationExistingEntity[] }>;
}
