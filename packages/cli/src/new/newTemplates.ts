import { quoteList } from '@plinth/errors';

/**
 * The ids a template asks for: every generated name derives from them.
 *
 * @public
 */
export type NewTemplateOption = 'pluginId' | 'moduleId';

/**
 * A template `yarn new` can create a package from.
 *
 * @public
 */
export interface NewTemplate {
  /** What `--select` takes, such as `backend-plugin`. */
  name: string;
  /** One line for the template menu and `--help`. */
  description: string;
  /** The ids it asks for, in the order it asks. */
  options: readonly NewTemplateOption[];
}

/**
 * Every template, in the order the menu lists them.
 *
 * @public
 */
export const newTemplates: readonly NewTemplate[] = [
  {
    name: 'backend-plugin',
    description:
      'a backend plugin with a REST resource, its own database table and tests (plugins/<pluginId>-backend)',
    options: ['pluginId'],
  },
  {
    name: 'backend-module',
    description:
      'a module that extends a plugin through its extension point (plugins/<pluginId>-backend-module-<moduleId>)',
    options: ['pluginId', 'moduleId'],
  },
  {
    name: 'node-library',
    description:
      "a library for a plugin's extension points and shared types (plugins/<pluginId>-node)",
    options: ['pluginId'],
  },
];

/** How each option is named in questions and messages. */
export const optionLabels: Record<NewTemplateOption, string> = {
  pluginId: 'plugin id',
  moduleId: 'module id',
};

/** The template called `name`, or undefined. */
export function findNewTemplate(name: string): NewTemplate | undefined {
  return newTemplates.find(template => template.name === name);
}

/** The template names as a sentence lists them, for messages. */
export function listTemplateNames(): string {
  return quoteList(
    newTemplates.map(template => template.name),
    'and',
  );
}

/**
 * What `yarn new` was told, by flags or at its prompts.
 *
 * @public
 */
export interface NewAnswers {
  /** A template name, such as `backend-plugin`. */
  template: string;
  /** The ids, such as `{ pluginId: 'todo' }`. */
  options: Partial<Record<NewTemplateOption, string>>;
}

/**
 * The engine's id rule (`@plinth/backend-plugin-api` checks plugin and
 * module ids with it); the cli may not depend on runtime packages, so a
 * repository test proves the two copies agree.
 */
const engineIdPattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/i;

/**
 * Plugin ids name database tables, and PostgreSQL cuts names at 63
 * characters: the longest derived name is `<id>__knex_migrations_lock`.
 */
export const maxIdLength = 40;

/**
 * Whether `id` passes the engine's rule for plugin and module ids: letters,
 * digits and single dashes, starting with a letter.
 *
 * @public
 */
export function isValidEngineId(id: string): boolean {
  return engineIdPattern.test(id);
}

/**
 * What is wrong with `id` as the value of `option`, or undefined when it
 * is fine: the engine's rule first, then what package names and database
 * tables add to it.
 */
export function checkId(
  option: NewTemplateOption,
  id: string,
): string | undefined {
  const label = optionLabels[option];
  const rule = `use letters, digits and single dashes, starting with a letter, such as '${option === 'pluginId' ? 'my-plugin' : 'my-module'}'`;
  if (id === '') {
    return `The ${label} is empty: ${rule}.`;
  }
  if (!isValidEngineId(id)) {
    return `Invalid ${label} '${id}': ${rule}.`;
  }
  if (id !== id.toLowerCase()) {
    return `Invalid ${label} '${id}': it becomes part of a package name, and package names are lowercase; use '${toKebabCase(id)}'.`;
  }
  if (option === 'pluginId' && id.length > maxIdLength) {
    return `Invalid ${label} '${id}': it has ${id.length} characters, and at most ${maxIdLength} fit into the database table names derived from it; use a shorter id.`;
  }
  return undefined;
}

/** The spelling to suggest for a mixed-case id: `my-plugin` for `MyPlugin`. */
function toKebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}
