import { alignDependencyRanges } from './alignDependencyRanges';

describe('alignDependencyRanges', () => {
  it('takes the most common range of each dependency and keeps workspace and unknown ones', () => {
    const aligned = alignDependencyRanges(
      {
        name: 'new',
        dependencies: { express: '^5.0.0', '@plinth/errors': 'workspace:^' },
        devDependencies: { supertest: '^7.0.0', brandnew: '^1.0.0' },
      },
      [
        { dependencies: { express: '^5.1.0' } },
        { dependencies: { express: '^5.1.0' } },
        { devDependencies: { express: '^5.0.1', supertest: '^7.3.2' } },
      ],
    );
    expect(aligned).toEqual({
      name: 'new',
      dependencies: { express: '^5.1.0', '@plinth/errors': 'workspace:^' },
      devDependencies: { supertest: '^7.3.2', brandnew: '^1.0.0' },
    });
  });
});
