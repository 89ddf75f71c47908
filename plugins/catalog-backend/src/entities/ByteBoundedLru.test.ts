import { ByteBoundedLru } from './ByteBoundedLru';

describe('ByteBoundedLru', () => {
  it('evicts the least recently used values once the budget is exceeded', () => {
    const lru = new ByteBoundedLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    expect(lru.get('a')).toBe('A');
    lru.set('c', 'C', 4);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.get('c')).toBe('C');
    expect(lru.bytes).toBe(8);
  });

  it('does not keep a value larger than the whole budget', () => {
    const lru = new ByteBoundedLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('big', 'BIG', 11);
    expect(lru.get('big')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
  });

  it('replaces a value under the same key and counts only the new size', () => {
    const lru = new ByteBoundedLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('a', 'AA', 6);
    expect(lru.get('a')).toBe('AA');
    expect(lru.bytes).toBe(6);
    lru.clear();
    expect(lru.bytes).toBe(0);
    expect(lru.get('a')).toBeUndefined();
  });
});
