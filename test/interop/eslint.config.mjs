// @ts-check
// The root's rules, applied to this folder, which the root's own run skips
// because the type-aware rules need the Backstage packages installed here.
import rootConfig from '../../eslint.config.mjs';

const ownScripts = ['test/interop/*.js', 'test/interop/*.mjs'];

const adapted = rootConfig.map(block => {
  if (block.ignores) {
    return {
      ...block,
      ignores: block.ignores.filter(p => p !== 'test/interop/**'),
    };
  }
  const projectService = block.languageOptions?.parserOptions?.projectService;
  if (typeof projectService === 'object' && projectService !== null) {
    const { allowDefaultProject = [] } = projectService;
    return {
      ...block,
      languageOptions: {
        ...block.languageOptions,
        parserOptions: {
          ...block.languageOptions?.parserOptions,
          projectService: {
            ...projectService,
            allowDefaultProject: [...allowDefaultProject, ...ownScripts],
          },
        },
      },
    };
  }
  return block;
});

export default [
  ...adapted,
  {
    // The Jest config and transform here are CommonJS files Jest requires.
    files: ownScripts,
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
