import type { CreatedPackage } from './createNewPackage';

/** Where the assembled backend lives, and its package name. */
export interface BackendPackage {
  dir: string;
  name: string;
}

/**
 * What to do with a package `yarn new` just made: install it if that was
 * skipped, add it to the backend, run it and test it.
 */
export function describeNextSteps(
  created: CreatedPackage,
  backend: BackendPackage | undefined,
): string[] {
  const { dir, packageName, tokens } = created;
  const steps: string[] = [];
  if (!created.installed) {
    steps.push('Link it into the workspace:\n  yarn install');
  }
  if (created.template === 'node-library') {
    const plugin = `@plinth/plugin-${tokens.pluginId}-backend`;
    steps.push(
      `Use it from the plugin, and register the extension point in its src/plugin.ts (see ${dir}/README.md):\n  yarn workspace ${plugin} add ${packageName}@workspace:^\n  env.registerExtensionPoint(${tokens.pluginIdCamel}ActionsExtensionPoint, { addActions(...actions) { ... } });`,
    );
  } else if (backend) {
    const added =
      created.template === 'backend-plugin'
        ? `; it then serves http://localhost:7007/api/${tokens.pluginId}/todos`
        : `, next to plugin '${tokens.pluginId}'${tokens.pluginId === 'catalog' ? '' : ', which must register the extension point'}`;
    steps.push(
      `Add it to the backend${added}:\n  yarn workspace ${backend.name} add ${packageName}@workspace:^\nand in ${backend.dir}/src/index.ts, before backend.start():\n  backend.add(import('${packageName}'));`,
    );
  }
  if (created.template === 'backend-plugin') {
    steps.push(`Run it alone:\n  yarn workspace ${packageName} start`);
  }
  // The trailing slash keeps Jest's pattern from matching the
  // plugin's modules, whose folders start with the plugin's.
  steps.push(`Test it:\n  yarn test ${dir}/`);
  return [
    `Created ${dir} (${packageName}) from the '${created.template}' template.`,
    '',
    'Next steps:',
    ...steps.flatMap((step, i) =>
      step
        .split('\n')
        .map((line, j) => (j === 0 ? `  ${i + 1}. ${line}` : `     ${line}`)),
    ),
  ];
}
