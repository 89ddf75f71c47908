import { join } from 'node:path';
import {
  renderKustomization,
  type KubernetesObject,
} from './renderKustomization';
import { validateManifests } from './validateManifests';

type Deployment = KubernetesObject & {
  spec: {
    replicas: unknown;
    template: {
      spec: {
        terminationGracePeriodSeconds: number;
        containers: Array<Record<string, unknown>>;
      };
    };
  };
};

describe('validateManifests', () => {
  let production: KubernetesObject[];

  beforeAll(() => {
    production = renderKustomization(join(__dirname, 'overlays', 'production'));
  });

  /** A copy of the production objects with the Deployment changed. */
  function withDeployment(change: (deployment: Deployment) => void) {
    const objects = structuredClone(production);
    change(objects.find(o => o.kind === 'Deployment') as Deployment);
    return objects;
  }

  function container(deployment: Deployment) {
    return deployment.spec.template.spec.containers[0];
  }

  it('accepts the base and the production overlay', () => {
    expect(validateManifests(production)).toEqual([]);
    expect(
      validateManifests(renderKustomization(join(__dirname, 'base'))),
    ).toEqual([]);
  });

  it('reports a field the Kubernetes API does not know', () => {
    const objects = withDeployment(deployment => {
      const backend = container(deployment);
      backend.readinesProbe = backend.readinessProbe;
      delete backend.readinessProbe;
    });
    expect(validateManifests(objects)).toEqual([
      `Deployment 'plinth-backend': Object literal may only specify known properties, and '"readinesProbe"' does not exist in type 'IContainer'. (at "readinesProbe": {)`,
      `Deployment 'plinth-backend': container 'backend' has no readinessProbe.`,
    ]);
  });

  it('reports a value of the wrong type', () => {
    const objects = withDeployment(deployment => {
      deployment.spec.replicas = 'three';
    });
    expect(validateManifests(objects)).toEqual([
      `Deployment 'plinth-backend': data/spec/replicas must be integer`,
      `Deployment 'plinth-backend': Type 'string' is not assignable to type 'number'. (at "replicas": "three",)`,
    ]);
  });

  it('reports a probe on a port the container does not have', () => {
    const objects = withDeployment(deployment => {
      const probe = container(deployment).livenessProbe as {
        httpGet: { port: string };
      };
      probe.httpGet.port = 'htttp';
    });
    expect(validateManifests(objects)).toEqual([
      `Deployment 'plinth-backend': container 'backend''s livenessProbe uses port "htttp", which is none of its ports (http).`,
    ]);
  });

  it('reports a Service whose selector matches no pods', () => {
    const objects = structuredClone(production);
    const service = objects.find(o => o.kind === 'Service')!;
    (service.spec as { selector: Record<string, string> }).selector[
      'app.kubernetes.io/component'
    ] = 'frontend';
    expect(validateManifests(objects)).toEqual([
      expect.stringMatching(
        /^Service 'plinth-backend': its selector .* matches the pods of no Deployment\.$/,
      ),
    ]);
  });

  it('reports a grace period the backend cannot stop within', () => {
    const objects = withDeployment(deployment => {
      deployment.spec.template.spec.terminationGracePeriodSeconds = 30;
    });
    expect(validateManifests(objects)).toEqual([
      `Deployment 'plinth-backend': terminationGracePeriodSeconds 30 does not outlast the preStop sleep (0 s) plus the 30 s the backend may take to stop; the kubelet would kill it mid-shutdown.`,
    ]);
  });

  it('reports a container that keeps root privileges', () => {
    const objects = withDeployment(deployment => {
      container(deployment).securityContext = {};
    });
    expect(validateManifests(objects)).toEqual([
      `Deployment 'plinth-backend': container 'backend' has a writable root filesystem.`,
      `Deployment 'plinth-backend': container 'backend' allows privilege escalation.`,
      `Deployment 'plinth-backend': container 'backend' keeps Linux capabilities; drop ALL.`,
    ]);
  });
});
