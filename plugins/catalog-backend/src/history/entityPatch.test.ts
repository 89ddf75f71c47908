import { entityPatch, patchLimits } from './entityPatch';

const parse = (previous: string, entity: string) => ({
  previous: JSON.parse(previous),
  entity: JSON.parse(entity),
});

describe('entityPatch', () => {
  it('diffs forms whose arrays are within the limit', () => {
    const previous = JSON.stringify({ items: [1, 2, 3] });
    const entity = JSON.stringify({ items: [1, 2, 3, 4] });
    expect(
      entityPatch('small', previous, entity, parse(previous, entity)),
    ).toEqual([{ op: 'add', path: '/items/-', value: 4 }]);
  });

  it('omits the patch when a nested array passes the limit in either form', () => {
    const long = Array.from(
      { length: patchLimits.maxArrayItems + 1 },
      (_, i) => i,
    );
    const previous = JSON.stringify({ spec: { a: { list: long } } });
    const entity = JSON.stringify({ spec: { a: { list: [] } } });
    expect(entityPatch('long', previous, entity, parse(previous, entity))).toBe(
      'too-large',
    );
    expect(
      entityPatch('long-after', entity, previous, parse(entity, previous)),
    ).toBe('too-large');
  });

  it('omits the patch when the JSON passes the size limit', () => {
    const previous = JSON.stringify({
      text: 'x'.repeat(patchLimits.maxJsonChars),
    });
    const entity = JSON.stringify({ text: 'y' });
    expect(entityPatch('wide', previous, entity, parse(previous, entity))).toBe(
      'too-large',
    );
  });

  it('computes the patch of a row once for every reader', () => {
    const previous = JSON.stringify({ a: 1 });
    const entity = JSON.stringify({ a: 2 });
    const first = entityPatch(
      'once',
      previous,
      entity,
      parse(previous, entity),
    );
    const again = entityPatch(
      'once',
      previous,
      entity,
      parse(previous, entity),
    );
    expect(again).toBe(first);
  });
});
