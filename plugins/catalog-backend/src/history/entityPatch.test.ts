import { applyPatch, type Operation } from 'rfc6902';
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

  it('adds an item to a list of distinct items with one operation', () => {
    const relation = (i: number) => ({
      type: 'ownerOf',
      targetRef: `component:default/c-${String(i).padStart(2, '0')}`,
    });
    const before = Array.from({ length: 40 }, (_, i) => relation(i * 2));
    const after = [...before.slice(0, 17), relation(33), ...before.slice(17)];
    const previous = JSON.stringify({ relations: before });
    const entity = JSON.stringify({ relations: after });

    expect(
      entityPatch('insert', previous, entity, parse(previous, entity)),
    ).toEqual([{ op: 'add', path: '/relations/17', value: relation(33) }]);
  });

  it('diffs a changed item of a list in place', () => {
    const previous = JSON.stringify({
      links: [
        { url: 'https://a', title: 'A' },
        { url: 'https://b', title: 'B' },
      ],
    });
    const entity = JSON.stringify({
      links: [
        { url: 'https://a', title: 'A' },
        { url: 'https://b', title: 'Bee' },
      ],
    });

    expect(
      entityPatch('in-place', previous, entity, parse(previous, entity)),
    ).toEqual([{ op: 'replace', path: '/links/1/title', value: 'Bee' }]);
  });

  it('gives patches that turn the old form into the new one, for random edits of lists', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const item = (n: number) =>
      n % 3 === 0 ? `tag-${n}` : { type: `t${n % 4}`, targetRef: `r-${n}` };
    for (let round = 0; round < 300; round += 1) {
      const before = Array.from({ length: Math.floor(random() * 20) }, (_, i) =>
        item(i * 3 + Math.floor(random() * 3)),
      );
      const after = [...before];
      for (let edit = Math.floor(random() * 6); edit > 0; edit -= 1) {
        const at = Math.floor(random() * (after.length + 1));
        const choice = random();
        if (choice < 0.3) {
          after.splice(at, 0, item(1000 + round * 10 + edit));
        } else if (choice < 0.55) {
          after.splice(at, 1);
        } else if (choice < 0.75 && after.length > 1) {
          const [moved] = after.splice(at % after.length, 1);
          after.splice(Math.floor(random() * after.length), 0, moved);
        } else if (choice < 0.9 && after.length > 0) {
          after[at % after.length] = {
            type: 'changed',
            targetRef: `x-${round}`,
          };
        } else if (after.length > 0) {
          // A duplicate: rfc6902 diffs this list itself.
          after.push(after[0]);
        }
      }
      const previous = JSON.stringify({ spec: { list: before } });
      const entity = JSON.stringify({ spec: { list: after } });
      const patch = entityPatch(
        `random-${round}`,
        previous,
        entity,
        parse(previous, entity),
      );
      const patched = JSON.parse(previous);
      expect(patch).not.toBe('too-large');
      expect(applyPatch(patched, patch as Operation[])).toEqual(
        (patch as Operation[]).map(() => null),
      );
      expect(patched).toEqual(JSON.parse(entity));
    }
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
