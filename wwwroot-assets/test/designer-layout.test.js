import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutPositions } from '../src/designer/layout.js';

const box = (id) => ({ id, width: 200, height: 56 });

describe('layoutPositions', () => {
  it('lays a chain out left to right on the grid', () => {
    const positions = layoutPositions([box('c'), box('a'), box('b')],
      [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }]);
    const byId = Object.fromEntries(positions.map((p) => [p.id, p]));
    assert.ok(byId.a.x < byId.b.x && byId.b.x < byId.c.x, JSON.stringify(positions));
    assert.equal(byId.a.y, byId.b.y);
    for (const p of positions) {
      assert.equal(p.x % 10, 0);
      assert.equal(p.y % 10, 0);
    }
  });

  it('puts the branches of a split one above the other', () => {
    const positions = layoutPositions([box('s'), box('x'), box('y')],
      [{ source: 's', target: 'x' }, { source: 's', target: 'y' }]);
    const byId = Object.fromEntries(positions.map((p) => [p.id, p]));
    assert.equal(byId.x.x, byId.y.x);
    assert.ok(Math.abs(byId.x.y - byId.y.y) >= 56);
  });

  it('keeps unconnected nodes and ignores edges to unknown nodes', () => {
    const positions = layoutPositions([box('a'), box('lonely')], [{ source: 'a', target: 'gone' }]);
    assert.deepEqual(positions.map((p) => p.id), ['a', 'lonely']);
  });

  it('lays out 500 nodes quickly enough for a click', () => {
    const nodes = Array.from({ length: 500 }, (_, i) => box(`n${i}`));
    const edges = nodes.slice(1).map((n, i) => ({ source: `n${Math.floor(i / 2)}`, target: n.id }));
    const started = performance.now();
    assert.equal(layoutPositions(nodes, edges).length, 500);
    assert.ok(performance.now() - started < 5000);
  });
});
