import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STEP_STATUSES, statusAttrs, statusChanges, statusCounts, statusStyle } from '../src/designer/status.js';

describe('statusStyle', () => {
  it('gives every step status its own outline colour', () => {
    const strokes = STEP_STATUSES.map((status) => statusStyle(status).stroke);
    assert.equal(new Set(strokes).size, STEP_STATUSES.length);
    assert.deepEqual([...STEP_STATUSES].sort(), ['done', 'failed', 'pending', 'running', 'skipped', 'waiting']);
  });

  it('draws done green and failed red, whatever the case of the name', () => {
    assert.equal(statusStyle('done').stroke, '#2e7d32');
    assert.equal(statusStyle('Done').status, 'done');
    assert.equal(statusStyle('FAILED').stroke, '#c62828');
  });

  it('draws an unknown or missing status like a node the run has not reached', () => {
    for (const status of [undefined, null, '', 'exploded', 42]) {
      const style = statusStyle(status);
      assert.equal(style.status, 'none');
      assert.equal(style.strokeWidth, 1);
      assert.match(style.stroke, /^var\(--bos-node-border/);
    }
  });
});

describe('statusAttrs', () => {
  it('marks the node body with data-status and a readable title', () => {
    const attrs = statusAttrs('waiting');
    assert.equal(attrs.body['data-status'], 'waiting');
    assert.equal(attrs.body.title, 'Waiting for you');
    assert.equal(attrs.body.strokeDasharray, 'none');
    assert.equal(statusAttrs('running').body.strokeDasharray, '6 3');
  });
});

describe('statusChanges', () => {
  it('repaints only the nodes whose status changed', () => {
    const changes = statusChanges({ a: 'done', b: 'running', c: 'waiting' }, { a: 'done', b: 'done', c: 'waiting', d: 'running' });
    assert.deepEqual(changes.map((c) => [c.id, c.status]), [['b', 'done'], ['d', 'running']]);
    assert.equal(changes[0].attrs.body.stroke, '#2e7d32');
  });

  it('resets a node that lost its status to the designer look', () => {
    const changes = statusChanges({ a: 'failed' }, {});
    assert.deepEqual(changes.map((c) => [c.id, c.status]), [['a', 'none']]);
    assert.equal(changes[0].attrs.body.strokeWidth, 1);
  });

  it('treats a first call (no previous statuses) as every node changed', () => {
    assert.equal(statusChanges(undefined, { a: 'done', b: 'skipped' }).length, 2);
    assert.deepEqual(statusChanges(null, null), []);
  });
});

describe('statusCounts', () => {
  it('counts nodes per status and leaves out nodes without one', () => {
    assert.deepEqual(statusCounts({ a: 'done', b: 'done', c: 'failed', d: 'bogus' }), { done: 2, failed: 1 });
  });
});
