import { catalogAnalysisExtensionPoint } from './catalogAnalysisExtensionPoint';
import { catalogLocationsExtensionPoint } from './catalogLocationsExtensionPoint';
import { catalogModelExtensionPoint } from './catalogModelExtensionPoint';

describe('catalog extension points', () => {
  it('use the ids of the Backstage catalog', () => {
    expect(
      [
        catalogAnalysisExtensionPoint,
        catalogModelExtensionPoint,
        catalogLocationsExtensionPoint,
      ].map(point => point.id),
    ).toEqual(['catalog.analysis', 'catalog.model', 'catalog.locations']);
  });
});
