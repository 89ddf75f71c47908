/**
 * The checks no schema can make: whether the objects fit together and fit
 * the backend. Probes name ports the container has and the backend's
 * health routes; the Service and PodDisruptionBudget select the
 * Deployment's pods; every ConfigMap a pod reads is rendered; the pod runs
 * locked down with resources set; and the termination grace period covers
 * the backend's own stop, as its mounted config sets it.
 */
import { parse } from 'yaml';
import type { KubernetesObject } from './renderKustomization';

/** `Deployment 'plinth-backend'` */
export function describeObject(object: KubernetesObject): string {
  return `${object.kind} '${object.metadata?.name}'`;
}

/**
 * How long the backend may take to stop after SIGTERM: `stop()` gives up
 * on the shutdown hooks after shutdownTimeoutMs (30 s), and the HTTP
 * server's shutdown delay and drain run inside that.
 */
const backendStopCapSeconds = 30;
const healthPaths = {
  readinessProbe: '/.backstage/health/v1/readiness',
  livenessProbe: '/.backstage/health/v1/liveness',
  startupProbe: '/.backstage/health/v1/liveness',
};

interface Port {
  name?: string;
  containerPort: number;
}
interface Probe {
  httpGet?: { path?: string; port: number | string };
}
interface Container {
  name: string;
  ports?: Port[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: {
    containers: Container[];
    securityContext?: { runAsNonRoot?: boolean };
    terminationGracePeriodSeconds?: number;
    volumes?: Array<{ name: string; configMap?: { name: string } }>;
  };
}
interface Workload extends KubernetesObject {
  spec: {
    selector: { matchLabels?: Record<string, string> };
    template: PodTemplate;
  };
}

/** Every problem found, each naming its object. */
export function checkPodTemplates(objects: KubernetesObject[]): string[] {
  const workloads = objects.filter(
    (o): o is Workload => o.kind === 'Deployment' || o.kind === 'StatefulSet',
  );
  const configMaps = new Map(
    objects
      .filter(o => o.kind === 'ConfigMap')
      .map(o => [o.metadata.name, o] as const),
  );
  const problems: string[] = [];
  for (const workload of workloads) {
    const report = (message: string) =>
      problems.push(`${describeObject(workload)}: ${message}`);
    const { selector, template } = workload.spec;
    const labels = template.metadata?.labels ?? {};
    if (!matches(selector.matchLabels, labels)) {
      report(`its selector does not match its pod template's labels.`);
    }
    for (const container of template.spec.containers) {
      checkContainer(container, template, configMaps, report);
    }
    for (const volume of template.spec.volumes ?? []) {
      if (volume.configMap && !configMaps.has(volume.configMap.name)) {
        report(
          `volume '${volume.name}' mounts ConfigMap '${volume.configMap.name}', which is not rendered.`,
        );
      }
    }
    checkGracePeriod(template, configMaps, report);
  }
  for (const object of objects) {
    if (object.kind === 'Service' || object.kind === 'PodDisruptionBudget') {
      problems.push(...checkSelector(object, workloads));
    }
  }
  return problems;
}

function checkContainer(
  container: Container,
  template: PodTemplate,
  configMaps: Map<string, KubernetesObject>,
  report: (message: string) => void,
) {
  const where = `container '${container.name}'`;
  const ports = container.ports ?? [];
  for (const kind of Object.keys(healthPaths) as Array<
    keyof typeof healthPaths
  >) {
    const probe = container[kind];
    if (!probe) {
      if (kind !== 'startupProbe') report(`${where} has no ${kind}.`);
      continue;
    }
    const port = probe.httpGet?.port;
    if (!ports.some(p => p.name === port || p.containerPort === port)) {
      report(
        `${where}'s ${kind} uses port ${JSON.stringify(port)}, which is none of its ports (${ports.map(p => p.name ?? p.containerPort).join(', ')}).`,
      );
    }
    if (probe.httpGet?.path !== healthPaths[kind]) {
      report(
        `${where}'s ${kind} asks ${JSON.stringify(probe.httpGet?.path)}; the backend answers it at '${healthPaths[kind]}'.`,
      );
    }
  }
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef && !configMaps.has(from.configMapRef.name)) {
      report(
        `${where} takes its environment from ConfigMap '${from.configMapRef.name}', which is not rendered.`,
      );
    }
  }
  const security = container.securityContext ?? {};
  if (!(security.runAsNonRoot ?? template.spec.securityContext?.runAsNonRoot)) {
    report(`${where} may run as root; set runAsNonRoot: true.`);
  }
  if (security.readOnlyRootFilesystem !== true) {
    report(`${where} has a writable root filesystem.`);
  }
  if (security.allowPrivilegeEscalation !== false) {
    report(`${where} allows privilege escalation.`);
  }
  if (!security.capabilities?.drop?.includes('ALL')) {
    report(`${where} keeps Linux capabilities; drop ALL.`);
  }
  for (const bound of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (!container.resources?.[bound]?.[resource]) {
        report(`${where} has no ${resource} in resources.${bound}.`);
      }
    }
  }
}

/**
 * The grace period must outlast the preStop sleep plus the backend's own
 * stop, and the shutdown delay and drain of the mounted config must fit
 * in that stop.
 */
function checkGracePeriod(
  template: PodTemplate,
  configMaps: Map<string, KubernetesObject>,
  report: (message: string) => void,
) {
  const grace = template.spec.terminationGracePeriodSeconds ?? 30;
  for (const container of template.spec.containers) {
    const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    if (grace <= preStop + backendStopCapSeconds) {
      report(
        `terminationGracePeriodSeconds ${grace} does not outlast the preStop sleep (${preStop} s) plus the ${backendStopCapSeconds} s the backend may take to stop; the kubelet would kill it mid-shutdown.`,
      );
    }
  }
  for (const volume of template.spec.volumes ?? []) {
    const configMap = volume.configMap && configMaps.get(volume.configMap.name);
    const data = (configMap?.data ?? {}) as Record<string, string>;
    for (const [file, text] of Object.entries(data)) {
      const lifecycle = (
        parse(text) as {
          backend?: { lifecycle?: Record<string, unknown> };
        } | null
      )?.backend?.lifecycle;
      if (!lifecycle) continue;
      const delay = readSeconds(lifecycle.serverShutdownDelay);
      const drain = readSeconds(lifecycle.serverDrainTimeout);
      if (delay === undefined || drain === undefined) {
        report(
          `cannot read backend.lifecycle.serverShutdownDelay and serverDrainTimeout of ConfigMap '${configMap!.metadata.name}' (${file}); write them as { seconds: N }.`,
        );
      } else if (delay + drain >= backendStopCapSeconds) {
        report(
          `backend.lifecycle.serverShutdownDelay (${delay} s) plus serverDrainTimeout (${drain} s) in ConfigMap '${configMap!.metadata.name}' leave no time of the backend's ${backendStopCapSeconds} s stop for the plugins' shutdown hooks.`,
        );
      }
    }
  }
}

function readSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value / 1000;
  const duration = value as { seconds?: number; milliseconds?: number };
  if (duration && typeof duration === 'object') {
    return (duration.seconds ?? 0) + (duration.milliseconds ?? 0) / 1000;
  }
  return undefined;
}

/** A Service or PodDisruptionBudget must select some workload's pods. */
function checkSelector(
  object: KubernetesObject,
  workloads: Workload[],
): string[] {
  const spec = object.spec as {
    selector?: Record<string, string> & {
      matchLabels?: Record<string, string>;
    };
    ports?: Array<{ name?: string; targetPort?: number | string }>;
  };
  const selector =
    object.kind === 'Service' ? spec.selector : spec.selector?.matchLabels;
  const selected = workloads.filter(w =>
    matches(selector, w.spec.template.metadata?.labels ?? {}),
  );
  if (selected.length === 0) {
    return [
      `${describeObject(object)}: its selector ${JSON.stringify(selector)} matches the pods of no Deployment.`,
    ];
  }
  const problems: string[] = [];
  for (const port of spec.ports ?? []) {
    const target = port.targetPort;
    const found = selected.some(w =>
      w.spec.template.spec.containers.some(c =>
        (c.ports ?? []).some(
          p => p.name === target || p.containerPort === target,
        ),
      ),
    );
    if (!found) {
      problems.push(
        `${describeObject(object)}: port '${port.name}' targets ${JSON.stringify(target)}, which no selected container has.`,
      );
    }
  }
  return problems;
}

function matches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  const entries = Object.entries(selector ?? {});
  return (
    entries.length > 0 && entries.every(([key, value]) => labels[key] === value)
  );
}
