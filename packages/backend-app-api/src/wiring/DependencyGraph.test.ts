import { DependencyGraph } from './DependencyGraph';

const node = (value: string, consumes: string[] = [], provides = [value]) => ({
  value,
  consumes,
  provides,
});

describe('DependencyGraph', () => {
  it('finds no cycle in an acyclic graph', () => {
    const graph = DependencyGraph.fromIterable([
      node('a', ['b']),
      node('b', ['c']),
      node('c'),
    ]);
    expect(graph.findCycle()).toBeUndefined();
  });

  it('returns a cycle as a closed path', () => {
    const graph = DependencyGraph.fromIterable([
      node('x'),
      node('a', ['b']),
      node('b', ['c']),
      node('c', ['a']),
    ]);
    expect(graph.findCycle()).toEqual(['a', 'b', 'c', 'a']);
  });

  it('reports a node that consumes what it provides as a cycle of one', () => {
    expect(
      DependencyGraph.fromIterable([node('a', ['a'])]).findCycle(),
    ).toEqual(['a', 'a']);
  });

  it('ignores tokens that nobody provides', () => {
    const graph = DependencyGraph.fromIterable([node('a', ['missing'])]);
    expect(graph.findCycle()).toBeUndefined();
  });

  it('runs each value after its providers and independent values concurrently', async () => {
    const graph = DependencyGraph.fromIterable([
      node('app', ['db', 'cache']),
      node('db'),
      node('cache'),
    ]);
    const events: string[] = [];
    let releaseDb!: () => void;
    const dbDone = new Promise<void>(resolve => {
      releaseDb = resolve;
    });
    const traversal = graph.parallelTopologicalTraversal(async value => {
      events.push(`start ${value}`);
      if (value === 'db') {
        await dbDone;
      }
      events.push(`end ${value}`);
      return value;
    });
    await new Promise(resolve => setImmediate(resolve));
    expect(events).toEqual(['start db', 'start cache', 'end cache']);
    releaseDb();
    await expect(traversal).resolves.toEqual(['cache', 'db', 'app']);
    expect(events.slice(3)).toEqual(['end db', 'start app', 'end app']);
  });

  it('refuses to traverse a graph with a cycle', async () => {
    const graph = DependencyGraph.fromIterable([
      node('a', ['b']),
      node('b', ['a']),
    ]);
    await expect(
      graph.parallelTopologicalTraversal(async v => v),
    ).rejects.toThrow(
      'DependencyGraph traversal stopped with unfinished nodes; the graph has a cycle',
    );
  });
});
