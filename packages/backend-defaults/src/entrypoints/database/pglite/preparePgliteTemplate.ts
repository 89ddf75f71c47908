/**
 * Prepares the PGlite template during `yarn install` (the root
 * `postinstall`), so that the first `yarn start` of a fresh clone copies
 * a data directory instead of running initdb. Never fails the install:
 * without a template the backend makes one on its first start.
 */
import { PgliteTemplate } from './PgliteTemplate';

async function main() {
  const template = PgliteTemplate.default();
  const started = performance.now();
  if (await template.prepare()) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Made the PGlite template '${template.directory}' in ${seconds} s.\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Could not prepare the PGlite template, so the first yarn start runs initdb instead: ${String(error)}\n`,
  );
});
