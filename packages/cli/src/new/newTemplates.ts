import { quoteList } from './quoteList';

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
  return quoteList(newTemplates.map(template => template.name));
}
