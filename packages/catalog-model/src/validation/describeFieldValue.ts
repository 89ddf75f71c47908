/**
 * A value as a message may show it: by its type and shape, never its
 * content. Entities reach validation after placeholders were resolved, so a
 * field may hold the content of a file or a URL the caller could not read
 * otherwise; and whatever a message quotes ends up in responses and logs.
 */
export function describeFieldValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return value.length === 0
      ? 'an empty array'
      : `an array of ${count(value.length, 'item')}`;
  }
  switch (typeof value) {
    case 'string':
      return describeString(value);
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object': {
      const keys = Object.keys(value).length;
      return keys === 0
        ? 'an empty object'
        : `an object of ${count(keys, 'key')}`;
    }
    default:
      return `a ${typeof value}`;
  }
}

function describeString(text: string): string {
  if (text === '') {
    return 'an empty string';
  }
  const lines = text.split('\n').length;
  const shape = [
    lines > 1 ? `on ${count(lines, 'line')}` : '',
    text.trim() !== text ? 'with surrounding whitespace' : '',
  ].filter(Boolean);
  return `a string of ${count(text.length, 'character')}${shape.length > 0 ? ` ${shape.join(' ')}` : ''}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
