/**
 * Validates rendered Kubernetes objects three ways: against the API's
 * OpenAPI schemas (kubernetes-models' validators: types, formats, required
 * fields), for fields the API does not know (the same models' TypeScript
 * types, whose excess-property check catches a typo'd field that the API
 * server would drop without a word), and for what ties the objects together
 * (probe ports, selectors, config references, the shutdown timing).
 *
 * Usage: node -r sucrase/register/ts deploy/kubernetes/validateManifests.ts
 *   (renders deploy/kubernetes/base and every overlay with kubectl kustomize)
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import {
  renderKustomization,
  type KubernetesObject,
} from './renderKustomization';
import { checkPodTemplates, describeObject } from './checkPodTemplates';

const root = resolve(__dirname, '..', '..');

/** Every problem of the objects, each naming its object; empty when valid. */
export function validateManifests(objects: KubernetesObject[]): string[] {
  return [
    ...objects.flatMap(checkSchema),
    ...checkUnknownFields(objects),
    ...checkPodTemplates(objects),
  ];
}

/** The kubernetes-models module of an object's apiVersion and kind. */
function modelModule(object: KubernetesObject): string {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`;
}

/** The kubernetes-models class of an object's kind; undefined if none. */
function loadModel(
  object: KubernetesObject,
): (new (data: unknown) => { validate(): void }) | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(modelModule(object)) as Record<
      string,
      new (data: unknown) => { validate(): void }
    >;
    return exports[object.kind];
  } catch {
    return undefined;
  }
}

function checkSchema(object: KubernetesObject): string[] {
  const model = loadModel(object);
  if (!model) {
    return [
      `${describeObject(object)}: apiVersion '${object.apiVersion}' has no kind '${object.kind}' in the Kubernetes API.`,
    ];
  }
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return [
      `${describeObject(object)}: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
}

/**
 * Type-checks each object as an object literal of its kubernetes-models
 * interface; TypeScript reports every property the interface lacks.
 */
function checkUnknownFields(objects: KubernetesObject[]): string[] {
  const lines: string[] = [];
  const owners: number[] = [];
  const known = objects.filter(object => loadModel(object) !== undefined);
  known.forEach((object, i) => {
    lines.push(
      `import type { I${object.kind} as T${i} } from '${modelModule(object)}';`,
    );
    owners.push(-1);
  });
  known.forEach((object, i) => {
    const text = `export const o${i}: T${i} = ${JSON.stringify(object, null, 2)};`;
    for (const line of text.split('\n')) {
      lines.push(line);
      owners.push(i);
    }
  });
  const fileName = join(root, 'deploy', 'kubernetes', 'manifests.check.ts');
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, source, languageVersion)
      : getSourceFile(name, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = name => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter(diagnostic => diagnostic.file?.fileName === fileName)
    .map(diagnostic => {
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(
        diagnostic.start ?? 0,
      );
      const owner = known[owners[line]];
      const message = ts.flattenDiagnosticMessageText(
        diagnostic.messageText,
        ' ',
      );
      return `${owner ? describeObject(owner) : 'manifests'}: ${message} (at ${lines[line].trim()})`;
    });
}

function main() {
  const kubernetesDir = __dirname;
  const overlaysDir = join(kubernetesDir, 'overlays');
  const directories = [
    join(kubernetesDir, 'base'),
    ...readdirSync(overlaysDir).map(name => join(overlaysDir, name)),
  ];
  let failed = 0;
  for (const directory of directories) {
    const objects = renderKustomization(directory);
    const problems = validateManifests(objects);
    const name = directory.slice(root.length + 1);
    for (const problem of problems) {
      process.stderr.write(`${name}: ${problem}\n`);
    }
    const secrets = listSecretKeys(objects);
    process.stdout.write(
      `validateManifests: ${name}: ${objects.length} objects, ${problems.length} problem${problems.length === 1 ? '' : 's'}; needs ${secrets.join(', ')}\n`,
    );
    failed += problems.length;
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

/** `Secret 'name' (key, key)` for every Secret the pods read. */
function listSecretKeys(objects: KubernetesObject[]): string[] {
  const keys = new Map<string, Set<string>>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      const ref = (value as { secretKeyRef?: { name: string; key: string } })
        .secretKeyRef;
      if (ref) {
        keys.set(ref.name, (keys.get(ref.name) ?? new Set()).add(ref.key));
      }
      Object.values(value).forEach(walk);
    }
  };
  walk(objects);
  return [...keys].map(
    ([name, names]) => `Secret '${name}' (${[...names].join(', ')})`,
  );
}

if (require.main === module) {
  main();
}
