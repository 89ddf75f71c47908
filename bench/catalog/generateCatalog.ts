/**
 * Writes a synthetic catalog of N entities for `yarn bench:catalog`, shaped
 * like a real organisation: a tree of groups, users in them, domains,
 * systems, components providing and consuming APIs and depending on
 * resources. From 100,000 entities on, one more group has every user as a
 * member, so that a single entity has as many relations as a tenth of the
 * catalog. The same N and seed always give the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The label every generated entity carries, to count them apart from Location entities. */
export const benchLabel = { key: 'plinth-bench', value: 'generated' };

/** Options for {@link generateCatalog}. */
export interface GenerateCatalogOptions {
  /** How many entities to write, not counting the Location file. */
  count: number;
  /** An empty directory to write into. */
  directory: string;
  /** @defaultValue 1 */
  seed?: number;
  /** Entities per YAML file. @defaultValue 1000 */
  entitiesPerFile?: number;
}

/** What {@link generateCatalog} wrote and what the catalog must make of it. */
export interface GeneratedCatalog {
  /** The Location file whose targets are all the other files. */
  locationFile: string;
  count: number;
  /** Entities per kind, lowercased kind. */
  counts: Record<string, number>;
  /** Names of the generated entities per lowercased kind. */
  names: Record<string, string[]>;
  /**
   * Every relation the catalog must serve, both directions, per lowercased
   * entity ref, as `<type> <lowercased target ref>`.
   */
  expectedRelations: Map<string, Set<string>>;
  /** The user whose group owns exactly a tenth of all entities. */
  owner: BenchOwner;
  /** The group every user is a member of, from 100,000 entities on. */
  largeGroup?: { ref: string; members: number };
}

/**
 * The user the permission benchmark reads as: a member of one team, and
 * owner through it of exactly `ownedShare` of the generated entities,
 * spread evenly over the owned kinds; no other user is in that team.
 */
export interface BenchOwner {
  /** `user:default/<name>` */
  userRef: string;
  /** `group:default/<name>` */
  groupRef: string;
  /** `<kind>/<name>` (kind lowercased) of every entity the team owns. */
  owned: string[];
}

/** The share of all entities the benchmark owner's team owns. */
export const ownedShare = 0.1;

interface Spec {
  kind: string;
  name: string;
  spec: Record<string, unknown>;
  description: string;
  tags: string[];
}

const smallestCount = 20;
/** From this many entities on, the catalog has a group of every user. */
const largeGroupFrom = 100_000;
const largeGroupName = 'all-engineers';

/**
 * Generates the catalog into `options.directory`.
 * @throws Error when `count` is below 20, too few for one entity of each kind.
 */
export function generateCatalog(
  options: GenerateCatalogOptions,
): GeneratedCatalog {
  const { count, directory, seed = 1, entitiesPerFile = 1000 } = options;
  if (!Number.isInteger(count) || count < smallestCount) {
    throw new Error(
      `Cannot generate a catalog of ${count} entities: give an integer of at least ${smallestCount}, so that every kind has one.`,
    );
  }
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)];
  const share = (fraction: number) => Math.max(1, Math.round(count * fraction));

  const counts = {
    group: share(0.02),
    user: share(0.1),
    domain: share(0.005),
    system: share(0.05),
    api: share(0.15),
    resource: share(0.1),
    component: 0,
  };
  // The large group takes the place of the last component, so that the
  // random draws of every other entity stay those of smaller catalogs.
  const largeGroup = count >= largeGroupFrom;
  if (largeGroup) {
    counts.group += 1;
  }
  counts.component =
    count - Object.values(counts).reduce((sum, n) => sum + n, 0);
  const names = Object.fromEntries(
    Object.entries(counts).map(([kind, n]) => [
      kind,
      Array.from({ length: n }, (_, i) => `${kind}-${i}`),
    ]),
  ) as Record<keyof typeof counts, string[]>;

  if (largeGroup) {
    // Named apart and added after the draws: no entity is owned by it and
    // no team has it as parent or child.
    names.group[names.group.length - 1] = largeGroupName;
  }
  const teams = largeGroup ? names.group.slice(0, -1) : names.group;
  const groupParent = (i: number) => (i === 0 ? undefined : (i - 1) >> 2);
  const ownerGroup = teams[teams.length > 1 ? 1 : 0];
  const ownerUser = names.user[0];
  // Every kind but User and Group has an owner.
  const ownable = count - counts.group - counts.user;
  const ownedTarget = Math.round(count * ownedShare);
  const owned: string[] = [];
  let ownedIndex = 0;
  // The draw stays in every branch so that the rest of the catalog is the
  // one earlier versions generated; the owner team is then given to evenly
  // spread entities, and taken from those that drew it.
  const pickOwner = (kind: string, name: string): string => {
    const drawn = pick(teams);
    const j = ownedIndex++;
    const chosen =
      Math.floor(((j + 1) * ownedTarget) / ownable) >
      Math.floor((j * ownedTarget) / ownable);
    if (chosen) {
      owned.push(`${kind.toLocaleLowerCase('en-US')}/${name}`);
      return ownerGroup;
    }
    return otherGroup(teams, drawn, ownerGroup);
  };
  const specs: Spec[] = [];
  teams.forEach((name, i) => {
    const parent = groupParent(i);
    specs.push({
      kind: 'Group',
      name,
      description: `Team ${i}`,
      tags: [],
      spec: {
        type: parent === undefined ? 'organization' : 'team',
        profile: { displayName: `Team ${i}` },
        ...(parent === undefined ? {} : { parent: teams[parent] }),
        children: teams.filter((_, c) => groupParent(c) === i),
      },
    });
  });
  if (largeGroup) {
    specs.push({
      kind: 'Group',
      name: largeGroupName,
      description: 'Every engineer',
      tags: [],
      spec: { type: 'team', children: [] },
    });
  }
  names.user.forEach((name, i) => {
    const drawn = pick(teams);
    specs.push({
      kind: 'User',
      name,
      description: `Engineer ${i}`,
      tags: [],
      spec: {
        profile: {
          displayName: `Engineer ${i}`,
          email: `${name}@example.com`,
        },
        memberOf: [
          name === ownerUser
            ? ownerGroup
            : otherGroup(teams, drawn, ownerGroup),
          ...(largeGroup ? [largeGroupName] : []),
        ],
      },
    });
  });
  names.domain.forEach((name, i) => {
    specs.push({
      kind: 'Domain',
      name,
      description: `Business domain ${i}`,
      tags: [],
      spec: { owner: pickOwner('Domain', name) },
    });
  });
  names.system.forEach((name, i) => {
    specs.push({
      kind: 'System',
      name,
      description: `System ${i}`,
      tags: [],
      spec: { owner: pickOwner('System', name), domain: pick(names.domain) },
    });
  });
  const lifecycles = ['production', 'experimental', 'deprecated'];
  const languages = ['typescript', 'java', 'go', 'python', 'kotlin'];
  names.api.forEach((name, i) => {
    specs.push({
      kind: 'API',
      name,
      description: `API ${i}`,
      tags: [pick(languages)],
      spec: {
        type: 'openapi',
        lifecycle: pick(lifecycles),
        owner: pickOwner('API', name),
        system: pick(names.system),
        definition: `openapi: 3.0.0\ninfo:\n  title: ${name}\n  version: 1.0.${i}\npaths: {}\n`,
      },
    });
  });
  names.resource.forEach((name, i) => {
    specs.push({
      kind: 'Resource',
      name,
      description: `Resource ${i}`,
      tags: [],
      spec: {
        type: pick(['database', 's3-bucket', 'queue']),
        owner: pickOwner('Resource', name),
        system: pick(names.system),
      },
    });
  });
  const componentTypes = ['service', 'website', 'library'];
  names.component.forEach((name, i) => {
    const type = pick(componentTypes);
    const provides =
      type === 'service' ? distinct(1 + (i % 2), () => pick(names.api)) : [];
    specs.push({
      kind: 'Component',
      name,
      description: `Component ${i}`,
      tags: [pick(languages)],
      spec: {
        type,
        lifecycle: pick(lifecycles),
        owner: pickOwner('Component', name),
        system: pick(names.system),
        ...(provides.length ? { providesApis: provides } : {}),
        consumesApis: distinct(1 + (i % 3), () => pick(names.api)),
        dependsOn: distinct(i % 3, () => `resource:${pick(names.resource)}`),
      },
    });
  });

  mkdirSync(directory, { recursive: true });
  const files = writeEntityFiles(directory, specs, entitiesPerFile);
  const locationFile = join(directory, 'all.yaml');
  writeFileSync(
    locationFile,
    stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name: 'bench-catalog' },
      spec: { targets: files.map(file => `./${file}`) },
    }),
  );
  return {
    locationFile,
    count,
    counts,
    names,
    expectedRelations: collectExpectedRelations(specs),
    owner: {
      userRef: `user:default/${ownerUser}`,
      groupRef: `group:default/${ownerGroup}`,
      owned,
    },
    ...(largeGroup && {
      largeGroup: {
        ref: `group:default/${largeGroupName}`,
        members: counts.user,
      },
    }),
  };
}

function writeEntityFiles(
  directory: string,
  specs: Spec[],
  entitiesPerFile: number,
): string[] {
  const files: string[] = [];
  for (let start = 0; start < specs.length; start += entitiesPerFile) {
    const file = `entities-${files.length}.yaml`;
    const documents = specs
      .slice(start, start + entitiesPerFile)
      .map(spec => stringify(toEntity(spec)));
    writeFileSync(join(directory, file), documents.join('---\n'));
    files.push(file);
  }
  return files;
}

function toEntity(spec: Spec) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: spec.kind,
    metadata: {
      name: spec.name,
      description: spec.description,
      labels: { [benchLabel.key]: benchLabel.value },
      annotations: {
        'backstage.io/techdocs-ref': 'dir:.',
        'github.com/project-slug': `example/${spec.name}`,
      },
      ...(spec.tags.length ? { tags: spec.tags } : {}),
      links: [{ url: `https://example.com/${spec.name}`, title: 'Home' }],
    },
    spec: spec.spec,
  };
}

/** The relations each spec field makes, from Backstage's built-in kinds. */
function collectExpectedRelations(specs: Spec[]): Map<string, Set<string>> {
  const relations = new Map<string, Set<string>>();
  const add = (source: string, type: string, target: string) => {
    const set = relations.get(source) ?? new Set<string>();
    set.add(`${type} ${target}`);
    relations.set(source, set);
  };
  const both = (
    source: string,
    forward: string,
    target: string,
    backward: string,
  ) => {
    add(source, forward, target);
    add(target, backward, source);
  };
  for (const { kind, name, spec } of specs) {
    const self = ref(kind, name);
    relations.set(self, relations.get(self) ?? new Set());
    const one = (field: string) =>
      typeof spec[field] === 'string' ? [spec[field]] : [];
    const many = (field: string) =>
      Array.isArray(spec[field]) ? (spec[field] as string[]) : [];
    for (const owner of one('owner')) {
      both(self, 'ownedBy', ref('group', owner), 'ownerOf');
    }
    for (const system of one('system')) {
      both(self, 'partOf', ref('system', system), 'hasPart');
    }
    for (const domain of one('domain')) {
      both(self, 'partOf', ref('domain', domain), 'hasPart');
    }
    for (const api of many('providesApis')) {
      both(self, 'providesApi', ref('api', api), 'apiProvidedBy');
    }
    for (const api of many('consumesApis')) {
      both(self, 'consumesApi', ref('api', api), 'apiConsumedBy');
    }
    for (const dependency of many('dependsOn')) {
      const [depKind, depName] = dependency.split(':');
      both(self, 'dependsOn', ref(depKind, depName), 'dependencyOf');
    }
    for (const group of many('memberOf')) {
      both(self, 'memberOf', ref('group', group), 'hasMember');
    }
    for (const parent of one('parent')) {
      both(self, 'childOf', ref('group', parent), 'parentOf');
    }
    for (const child of many('children')) {
      both(self, 'parentOf', ref('group', child), 'childOf');
    }
  }
  return relations;
}

/**
 * The group after `drawn` when `drawn` is `avoid`, so that only the chosen
 * entities and the chosen user have the benchmark owner's team (from 100
 * entities on, when there are two groups or more).
 */
function otherGroup(groups: string[], drawn: string, avoid: string): string {
  if (drawn !== avoid || groups.length === 1) {
    return drawn;
  }
  return groups[(groups.indexOf(drawn) + 1) % groups.length];
}

function ref(kind: string, name: string): string {
  return `${kind}:default/${name}`.toLocaleLowerCase('en-US');
}

/** Up to `n` distinct values drawn from `next`. */
function distinct(n: number, next: () => string): string[] {
  const values = new Set<string>();
  for (let i = 0; i < n * 3 && values.size < n; i++) {
    values.add(next());
  }
  return [...values];
}

/** mulberry32: a small seeded generator, so runs are comparable. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
