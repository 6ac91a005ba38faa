interface TrieNode {
  next: Map<number, TrieNode>;
  /** Ids of the prefix terms spelled by the path to this node. */
  terms: number[];
}

/** Prefix terms (`hack*`): walking one word down the trie yields every prefix it starts with. */
export class PrefixTrie {
  private readonly root: TrieNode = { next: new Map(), terms: [] };
  size = 0;

  add(prefix: string, termId: number): void {
    let node = this.root;
    for (let i = 0; i < prefix.length; i++) {
      const c = prefix.charCodeAt(i);
      let child = node.next.get(c);
      if (child === undefined) {
        child = { next: new Map(), terms: [] };
        node.next.set(c, child);
      }
      node = child;
    }
    node.terms.push(termId);
    this.size++;
  }

  /** Calls `onTerm` for every prefix term that `word[start, end)` starts with. */
  walk(word: string, start: number, end: number, onTerm: (termId: number) => void): void {
    let node: TrieNode | undefined = this.root;
    for (let i = start; i < end; i++) {
      node = node.next.get(word.charCodeAt(i));
      if (node === undefined) return;
      for (let t = 0; t < node.terms.length; t++) onTerm(node.terms[t] as number);
    }
  }
}
