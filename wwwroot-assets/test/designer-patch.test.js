import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatch, nodeChanges } from '../src/designer/patch.js';

const kinds = { agent: { name: 'Agent', color: '#6a1b9a', icon: '', input: true } };
const view = (id, x = 0, y = 0, extra = {}) => ({ id, kind: 'agent', label: id, x, y, ports: ['next', 'error'], ...extra });

/** A canvas that records what it is asked to do. */
function fakeCanvas(nodes = {}) {
  const calls = [];
  const state = new Map(Object.entries(nodes));
  return {
    calls,
    state,
    removeCells(ids) { calls.push(['remove', ids]); ids.forEach((id) => state.delete(id)); },
    addNodes(metadata) { calls.push(['addNodes', metadata.map((m) => m.id)]); metadata.forEach((m) => state.set(m.id, { ...m.data, x: m.x, y: m.y })); },
    addEdges(metadata) { calls.push(['addEdges', metadata.map((m) => m.id)]); },
    nodeData(id) { return state.get(id) ?? null; },
    updateNode(id, metadata, changes) { calls.push(['update', id, changes]); },
  };
}

describe('applyPatch', () => {
  it('removes edges and nodes first, then adds nodes, updates, and adds edges last', () => {
    const canvas = fakeCanvas({ a: { kind: 'agent', label: 'a', ports: ['next', 'error'], x: 0, y: 0 } });
    const result = applyPatch(canvas, {
      removeEdges: ['a|next|b'],
      removeNodes: ['b'],
      addNodes: [view('c', 100, 0)],
      updateNodes: [view('a', 10, 0)],
      addEdges: [{ source: 'a', port: 'next', target: 'c' }],
    }, kinds);
    assert.deepEqual(canvas.calls, [
      ['remove', ['a|next|b', 'b']],
      ['addNodes', ['c']],
      ['update', 'a', { position: true, shape: false }],
      ['addEdges', ['a|next|c']],
    ]);
    assert.deepEqual(result, { removed: 2, added: 2, updated: 1 });
  });

  it('skips updates the canvas already shows (the browser moved the node itself)', () => {
    const canvas = fakeCanvas({ a: { kind: 'agent', label: 'a', ports: ['next', 'error'], x: 40, y: 20 } });
    const result = applyPatch(canvas, { updateNodes: [view('a', 40, 20)] }, kinds);
    assert.deepEqual(canvas.calls, []);
    assert.equal(result.updated, 0);
  });

  it('adds a node it is asked to update but does not have', () => {
    const canvas = fakeCanvas();
    applyPatch(canvas, { updateNodes: [view('ghost')] }, kinds);
    assert.deepEqual(canvas.calls, [['addNodes', ['ghost']]]);
  });

  it('does nothing for an empty patch', () => {
    const canvas = fakeCanvas();
    assert.deepEqual(applyPatch(canvas, {}, kinds), { removed: 0, added: 0, updated: 0 });
    assert.deepEqual(canvas.calls, []);
  });
});

describe('nodeChanges', () => {
  const current = { kind: 'agent', label: 'Draft', ports: ['next', 'error'], x: 0, y: 0 };
  it('sees a new label, kind or port list as a shape change', () => {
    assert.deepEqual(nodeChanges(current, { ...current, label: 'Write' }), { position: false, shape: true });
    assert.deepEqual(nodeChanges(current, { ...current, ports: ['next'] }), { position: false, shape: true });
    assert.deepEqual(nodeChanges(current, { ...current, x: 5 }), { position: true, shape: false });
    assert.deepEqual(nodeChanges(current, { ...current }), { position: false, shape: false });
  });
});
