import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionProblem, isConditionalPort } from '../src/designer/rules.js';

// A small playbook: start → check (condition) → split (parallel) → a, b → merge (join).
const kinds = { start: 'trigger.manual', check: 'condition', split: 'parallel', a: 'agent', b: 'http', merge: 'join', done: 'end' };
const edges = new Set(['start|next|check', 'split|next|a']);
const graph = {
  kindOf: (id) => kinds[id],
  hasEdge: (from, port, to) => edges.has(`${from}|${port}|${to}`),
};
const link = (source, sourcePort, target, targetGroup = 'in', sourceGroup = 'out') =>
  ({ source, sourcePort, sourceGroup, target, targetPort: targetGroup === 'in' ? 'in' : sourcePort, targetGroup });

describe('connectionProblem', () => {
  it('accepts an output port into another step\'s input', () => {
    assert.equal(connectionProblem(link('check', 'true', 'a'), graph), null);
    assert.equal(connectionProblem(link('a', 'next', 'merge'), graph), null);
    assert.equal(connectionProblem(link('a', 'error', 'done'), graph), null);
  });

  it('refuses a start at an input port', () => {
    assert.match(connectionProblem(link('a', 'in', 'b', 'in', 'in'), graph), /Start an edge at an output port/);
  });

  it('refuses output to output (wrong direction)', () => {
    assert.match(connectionProblem(link('a', 'next', 'b', 'out'), graph), /not between two outputs/);
  });

  it('refuses a self-loop', () => {
    assert.equal(connectionProblem(link('a', 'next', 'a'), graph), 'A step cannot lead back to itself.');
  });

  it('refuses a duplicate edge through the same port', () => {
    assert.match(connectionProblem(link('split', 'next', 'a'), graph), /already leads to 'a' through 'next'/);
  });

  it('refuses a join fed by a conditional branch, naming the port', () => {
    const reason = connectionProblem(link('check', 'false', 'merge'), graph);
    assert.match(reason, /join waits for every branch/);
    assert.match(reason, /'false' port of 'check'/);
  });

  it('refuses anything into the trigger', () => {
    assert.match(connectionProblem(link('a', 'next', 'start'), graph), /'start' is the trigger/);
  });

  it('asks for a target when the edge ends on the blank canvas', () => {
    assert.match(connectionProblem(link('a', 'next', null), graph), /Drop the edge on the input port/);
  });
});

describe('isConditionalPort', () => {
  it('treats every port but next as one that may not fire', () => {
    assert.equal(isConditionalPort('next'), false);
    for (const port of ['true', 'false', 'approved', 'rejected', 'default', 'error', 'gold']) {
      assert.equal(isConditionalPort(port), true, port);
    }
  });
});
