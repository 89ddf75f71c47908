import { OffHeapJson } from './OffHeapJson';

describe('OffHeapJson', () => {
  const text = JSON.stringify({
    name: 'café-☕',
    description: 'line one\nline "two" \u2028 and a tab\t',
  });

  it('gives back the text it was made from, characters outside ASCII included', () => {
    expect(new OffHeapJson(text).toString()).toBe(text);
  });

  it('serialises inside a row exactly as the text would', () => {
    const rows = [{ entity_ref: 'component:default/a', entity: text }];
    const offHeap = rows.map(row => ({
      ...row,
      entity: new OffHeapJson(row.entity),
    }));

    expect(JSON.stringify(offHeap)).toBe(JSON.stringify(rows));
  });
});
