/**
 * A Jest transform for the ES modules among the installed packages (jose 6,
 * ansi-styles and others that ship only `import`/`export`): Node 20 loads
 * them with require(esm), but Jest's module system cannot before Node 24.9,
 * so Sucrase rewrites their imports to CommonJS. Every other file is
 * returned unchanged.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { transform } = require('sucrase');

const packageTypes = new Map();

/** The `type` of the package.json closest to `dir`, cached per folder. */
function packageTypeOf(dir) {
  if (packageTypes.has(dir)) {
    return packageTypes.get(dir);
  }
  const manifest = path.join(dir, 'package.json');
  let type;
  if (fs.existsSync(manifest)) {
    type = JSON.parse(fs.readFileSync(manifest, 'utf8')).type ?? 'commonjs';
  } else {
    const parent = path.dirname(dir);
    type = parent === dir ? 'commonjs' : packageTypeOf(parent);
  }
  packageTypes.set(dir, type);
  return type;
}

function isEsModule(filename) {
  if (filename.endsWith('.mjs')) {
    return true;
  }
  return (
    filename.endsWith('.js') &&
    packageTypeOf(path.dirname(filename)) === 'module'
  );
}

// Jest caches transformed files; a change to this transform must miss.
const ownSource = fs.readFileSync(__filename, 'utf8');

module.exports = {
  getCacheKey(source, filename, options) {
    return crypto
      .createHash('sha256')
      .update(ownSource)
      .update(filename)
      .update(String(options.supportsStaticESM))
      .update(source)
      .digest('hex');
  },
  process(source, filename, options) {
    // import() loads them as ES modules, which Jest runs as they are.
    if (options.supportsStaticESM || !isEsModule(filename)) {
      return { code: source };
    }
    return {
      code: transform(source, {
        transforms: ['imports'],
        // Node 20 runs the rest of modern syntax as it is.
        disableESTransforms: true,
        filePath: filename,
      }).code,
    };
  },
};
