/**
 * A node of a {@link DependencyGraph}: it may start once every node that
 * provides one of its `consumes` tokens has finished.
 */
export interface DependencyGraphNode<T> {
  value: T;
  provides?: Iterable<string>;
  consumes?: Iterable<string>;
}

interface Node<T> {
  value: T;
  provides: Set<string>;
  consumes: Set<string>;
}

/**
 * A small, generic dependency graph over values that provide and consume
 * string tokens. Tokens that nobody provides impose no order; reporting
 * them is the caller's concern.
 */
export class DependencyGraph<T> {
  readonly #nodes: Node<T>[];

  static fromIterable<T>(
    nodes: Iterable<DependencyGraphNode<T>>,
  ): DependencyGraph<T> {
    return new DependencyGraph(
      Array.from(nodes, node => ({
        value: node.value,
        provides: new Set(node.provides ?? []),
        consumes: new Set(node.consumes ?? []),
      })),
    );
  }

  private constructor(nodes: Node<T>[]) {
    this.#nodes = nodes;
  }

  /**
   * Finds a cycle and returns it as a path that starts and ends with the
   * same value (`[a, b, a]`), or `undefined` when the graph has none.
   * Depth-first, in insertion order, so the answer is deterministic.
   */
  findCycle(): T[] | undefined {
    const state = new Map<Node<T>, 'visiting' | 'done'>();
    const path: Node<T>[] = [];
    const visit = (node: Node<T>): Node<T>[] | undefined => {
      const seen = state.get(node);
      if (seen === 'done') {
        return undefined;
      }
      if (seen === 'visiting') {
        return [...path.slice(path.indexOf(node)), node];
      }
      state.set(node, 'visiting');
      path.push(node);
      for (const provider of this.#providersOf(node)) {
        const cycle = visit(provider);
        if (cycle) {
          return cycle;
        }
      }
      path.pop();
      state.set(node, 'done');
      return undefined;
    };
    for (const node of this.#nodes) {
      const cycle = visit(node);
      if (cycle) {
        return cycle.map(n => n.value);
      }
    }
    return undefined;
  }

  /**
   * Calls `fn` for every value, each as soon as all its providers have
   * finished, running independent values concurrently. The graph must be
   * free of cycles; `fn` should handle its own errors, because the first
   * rejection rejects the traversal.
   */
  async parallelTopologicalTraversal<R>(
    fn: (value: T) => Promise<R>,
  ): Promise<R[]> {
    const pending = new Set(this.#nodes);
    const finished = new Set<Node<T>>();
    const results: R[] = [];
    const isReady = (node: Node<T>) =>
      this.#providersOf(node).every(provider => finished.has(provider));

    const startReady = (): Promise<void>[] => {
      const ready = [...pending].filter(isReady);
      for (const node of ready) {
        pending.delete(node);
      }
      return ready.map(async node => {
        results.push(await fn(node.value));
        finished.add(node);
        await Promise.all(startReady());
      });
    };
    await Promise.all(startReady());
    if (pending.size > 0) {
      throw new Error(
        'DependencyGraph traversal stopped with unfinished nodes; the graph has a cycle',
      );
    }
    return results;
  }

  #providersOf(node: Node<T>): Node<T>[] {
    return this.#nodes.filter(other =>
      [...node.consumes].some(token => other.provides.has(token)),
    );
  }
}
