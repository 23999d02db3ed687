import { buildScopeTree, scopeOf, scopeTree } from '../../src/common/scope-tree';

/** Ops of a small model: scopes nest by "/", one name is an op and a scope at once (`dense/add`). */
const ops = [
  { name: 'input', params: undefined },
  { name: 'dense/kernel', params: 12 },
  { name: 'dense/bias', params: 3 },
  { name: 'dense/add', params: 0 },
  { name: 'dense/add/y' },
  { name: 'out/softmax' },
  { name: 'dense/kernel', params: 99 },
];

describe('scopeTree', () => {
  const { root, byPath } = scopeTree(ops);

  it('nests ops by scope, children in order of first appearance', () => {
    expect(root.children.map((c) => c.name)).toEqual(['input', 'dense', 'out']);
    expect(byPath.get('dense')!.children.map((c) => c.path)).toEqual(['dense/kernel', 'dense/bias', 'dense/add']);
    expect(byPath.get('dense/add')!.children.map((c) => c.name)).toEqual(['y']);
  });

  it('counts ops and parameters per subtree, the own op included', () => {
    expect([root.opCount, root.params]).toEqual([7, 114]);
    expect([byPath.get('dense')!.opCount, byPath.get('dense')!.params]).toEqual([5, 114]);
    expect([byPath.get('dense/add')!.opCount, byPath.get('dense/add')!.params]).toEqual([2, 0]);
  });

  it('keeps the first op of a repeated name, and links every node to its parent', () => {
    expect(byPath.get('dense/kernel')!.op).toBe(ops[1]);
    expect(byPath.get('dense/add')!.op).toBe(ops[3]);
    expect(byPath.get('dense')!.op).toBeUndefined();
    expect(root.parent).toBeUndefined();
    for (const node of byPath.values()) for (const child of node.children) expect(child.parent).toBe(node);
  });

  it('indexes every node by path, the root first, then in order of creation', () => {
    expect([...byPath.keys()]).toEqual([
      '',
      'input',
      'dense',
      'dense/kernel',
      'dense/bias',
      'dense/add',
      'dense/add/y',
      'out',
      'out/softmax',
    ]);
  });

  it('is what buildScopeTree gives for a model', () => {
    expect(buildScopeTree({ ops })).toEqual(root);
    expect(buildScopeTree({ ops: [] })).toEqual({
      name: '',
      path: '',
      children: [],
      parent: undefined,
      opCount: 0,
      params: 0,
    });
  });
});

it('names the scope of an op', () => {
  expect(scopeOf('dense/add/y')).toBe('dense/add');
  expect(scopeOf('input')).toBe('');
});
