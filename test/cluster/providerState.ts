/**
 * The desired state of the test's entity provider: the 10,000-entity bench
 * catalog, written where every replica's provider reads it, and the full
 * mutation the test applies to it later.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generateCatalog } from '../../bench/catalog/generateCatalog';

/** An entity as the provider gives it. */
export interface StateEntity {
  apiVersion: string;
  kind: string;
  metadata: { name: string; description?: string; [key: string]: unknown };
  spec: Record<string, unknown>;
}

/** The state directory and the versions written to it. */
export class ProviderState {
  #version = 0;
  entities: StateEntity[] = [];

  constructor(readonly directory: string) {
    mkdirSync(directory, { recursive: true });
  }

  get version(): string {
    return String(this.#version);
  }

  /**
   * Writes `entities` as the next version: the entities first, then the
   * version file by rename, so a provider never reads half of it.
   */
  write(entities: StateEntity[]): string {
    this.#version += 1;
    const version = String(this.#version);
    writeFileSync(
      join(this.directory, `entities-${version}.json`),
      JSON.stringify(entities),
    );
    const temporary = join(this.directory, 'version.tmp');
    writeFileSync(temporary, version);
    renameSync(temporary, join(this.directory, 'version'));
    this.entities = entities;
    return version;
  }
}

/** The bench catalog's entities, from the files `generateCatalog` writes. */
export function loadBenchEntities(
  directory: string,
  count: number,
): StateEntity[] {
  generateCatalog({ count, directory });
  const entities: StateEntity[] = [];
  for (const file of readdirSync(directory).filter(f =>
    f.startsWith('entities-'),
  )) {
    for (const document of parseAllDocuments(
      readFileSync(join(directory, file), 'utf8'),
    )) {
      entities.push(document.toJS() as StateEntity);
    }
  }
  return entities;
}

/** What {@link mutateState} did, for the report. */
export interface MutationSummary {
  removed: number;
  added: number;
  changed: number;
}

/**
 * A full mutation of `entities`: removes some components and APIs (so
 * relations to them must disappear from the entities that pointed at
 * them), adds new components, and moves others to another owner (so
 * `ownerOf` must leave the old group and reach the new one). Removes
 * well under half, so the deletion guard lets it through.
 */
export function mutateState(entities: StateEntity[]): {
  entities: StateEntity[];
  summary: MutationSummary;
} {
  const components = entities.filter(e => e.kind === 'Component');
  const apis = entities.filter(e => e.kind === 'API');
  const groups = entities
    .filter(e => e.kind === 'Group')
    .map(e => e.metadata.name);
  // Every 17th component and every 29th API go; every 13th component moves.
  const removed = new Set<StateEntity>([
    ...components.filter((_, i) => i % 17 === 5),
    ...apis.filter((_, i) => i % 29 === 3),
  ]);
  let changed = 0;
  const next = entities
    .filter(entity => !removed.has(entity))
    .map((entity, i) => {
      if (entity.kind !== 'Component' || i % 13 !== 0) {
        return entity;
      }
      changed += 1;
      const owner =
        groups[(groups.indexOf(String(entity.spec.owner)) + 7) % groups.length];
      return {
        ...entity,
        metadata: {
          ...entity.metadata,
          description: `${entity.metadata.description} (moved)`,
        },
        spec: { ...entity.spec, owner },
      };
    });
  const template = components[0];
  const added = Array.from({ length: 300 }, (_, i): StateEntity => ({
    ...template,
    metadata: {
      ...template.metadata,
      name: `added-component-${i}`,
      description: `Added ${i}`,
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: groups[i % groups.length],
      system: template.spec.system,
      consumesApis: [apis[(i * 7) % apis.length].metadata.name],
    },
  }));
  return {
    entities: [...next, ...added],
    summary: { removed: removed.size, added: added.length, changed },
  };
}
