import type { NewTemplateOption } from './newTemplates';

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
