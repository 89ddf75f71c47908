import type { CatalogProcessorParser } from './CatalogProcessor';
import { parseEntityYaml } from './parseEntityYaml';

/**
 * The parser the catalog uses unless a module replaces it: YAML with one
 * entity per document, see {@link parseEntityYaml}.
 *
 * @public
 */
export const defaultEntityDataParser: CatalogProcessorParser =
  async function* defaultEntityDataParser({ data, location }) {
    yield* parseEntityYaml(data, location);
  };
