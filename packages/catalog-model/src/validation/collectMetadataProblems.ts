import type { EntityValidationProblem } from './EntityValidationError';
import type { FieldRuleChecker } from './createFieldRuleChecker';
import { createProblem } from './createProblem';
import { isNonEmptyString } from './isNonEmptyString';
import { isPlainObject } from './isPlainObject';

const NON_EMPTY_STRING = 'must be a non-empty string';

/**
 * Every problem of `metadata`: its identity fields against the field rules,
 * its descriptive fields against their types.
 */
export function collectMetadataProblems(
  metadata: unknown,
  check: FieldRuleChecker,
): EntityValidationProblem[] {
  if (metadata === undefined) {
    return [
      createProblem(
        'metadata',
        undefined,
        'is required',
        "give at least 'metadata.name'",
      ),
    ];
  }
  if (!isPlainObject(metadata)) {
    return [createProblem('metadata', metadata, 'must be an object')];
  }
  const problems: Array<EntityValidationProblem | undefined> = [];
  const { name, namespace, uid, etag, title, description } = metadata;
  problems.push(
    name === undefined || name === null
      ? createProblem('metadata.name', undefined, 'is required')
      : check('isValidEntityName', 'metadata.name', name),
  );
  if (namespace !== undefined) {
    problems.push(check('isValidNamespace', 'metadata.namespace', namespace));
  }
  for (const [field, value] of Object.entries({ uid, etag, title })) {
    if (value !== undefined && !isNonEmptyString(value)) {
      problems.push(
        createProblem(`metadata.${field}`, value, NON_EMPTY_STRING),
      );
    }
  }
  if (description !== undefined && typeof description !== 'string') {
    problems.push(
      createProblem('metadata.description', description, 'must be a string'),
    );
  }
  problems.push(
    ...collectMapProblems(metadata, 'labels', check),
    ...collectMapProblems(metadata, 'annotations', check),
    ...collectTagProblems(metadata.tags, check),
    ...collectLinkProblems(metadata.links),
  );
  return problems.filter(problem => problem !== undefined);
}

function collectMapProblems(
  metadata: Record<string, unknown>,
  map: 'labels' | 'annotations',
  check: FieldRuleChecker,
): Array<EntityValidationProblem | undefined> {
  const entries = metadata[map];
  if (entries === undefined) {
    return [];
  }
  if (!isPlainObject(entries)) {
    return [
      createProblem(`metadata.${map}`, entries, 'must be an object of strings'),
    ];
  }
  const [keyRule, valueRule] =
    map === 'labels'
      ? (['isValidLabelKey', 'isValidLabelValue'] as const)
      : (['isValidAnnotationKey', 'isValidAnnotationValue'] as const);
  return Object.entries(entries).flatMap(([key, value]) => {
    const field = `metadata.${map}.${key}`;
    const keyProblem = check(keyRule, field, key);
    if (typeof value !== 'string') {
      return [keyProblem, createProblem(field, value, 'must be a string')];
    }
    return [keyProblem, check(valueRule, field, value)];
  });
}

function collectTagProblems(
  tags: unknown,
  check: FieldRuleChecker,
): Array<EntityValidationProblem | undefined> {
  if (tags === undefined) {
    return [];
  }
  if (!Array.isArray(tags)) {
    return [
      createProblem('metadata.tags', tags, 'must be an array of strings'),
    ];
  }
  return tags.map((tag, i) => check('isValidTag', `metadata.tags[${i}]`, tag));
}

function collectLinkProblems(links: unknown): EntityValidationProblem[] {
  if (links === undefined) {
    return [];
  }
  if (!Array.isArray(links)) {
    return [
      createProblem('metadata.links', links, 'must be an array of objects'),
    ];
  }
  return links.flatMap((link, i) => {
    const field = `metadata.links[${i}]`;
    if (!isPlainObject(link)) {
      return [createProblem(field, link, "must be an object with a 'url'")];
    }
    const problems: EntityValidationProblem[] = [];
    if (link.url === undefined) {
      problems.push(createProblem(`${field}.url`, undefined, 'is required'));
    } else if (!isAbsoluteUrl(link.url)) {
      problems.push(
        createProblem(
          `${field}.url`,
          link.url,
          "must be an absolute URL, e.g. 'https://example.com/docs'",
        ),
      );
    }
    for (const part of ['title', 'icon', 'type'] as const) {
      if (link[part] !== undefined && !isNonEmptyString(link[part])) {
        problems.push(
          createProblem(`${field}.${part}`, link[part], NON_EMPTY_STRING),
        );
      }
    }
    return problems;
  });
}

function isAbsoluteUrl(value: unknown): boolean {
  return typeof value === 'string' && URL.canParse(value);
}
