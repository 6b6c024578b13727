import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  contentBox, edgeId, edgeMetadata, fitText, graphFromCells, iconUrl, nodeHeight, nodeMetadata, portItems, problemBadge, ERROR_ARROW,
} from '../src/designer/mapping.js';

const kinds = {
  'trigger.manual': { name: 'Manual start', color: '#2e7d32', icon: '<path d="M8 5v14l11-7z"/>', input: false },
  approval: { name: 'Approval', color: '#00838f', icon: '<path d="M1 1"/>', input: true },
};

describe('nodeMetadata', () => {
  it('maps a view node to an X6 node with kind colour, label, ports and data', () => {
    const meta = nodeMetadata({ id: 'review', kind: 'approval', label: 'Send it?', x: 300, y: 40, ports: ['approved', 'rejected'] }, kinds);
    assert.equal(meta.id, 'review');
    assert.equal(meta.shape, 'bos-activity');
    assert.deepEqual([meta.x, meta.y, meta.width], [300, 40, 200]);
    assert.equal(meta.attrs.stripe.fill, '#00838f');
    assert.equal(meta.attrs.label.text, 'Send it?');
    assert.equal(meta.attrs.kind.text, 'Approval · review');
    assert.deepEqual(meta.data, { kind: 'approval', label: 'Send it?', ports: ['approved', 'rejected'] });
    assert.deepEqual(meta.ports.items.map((p) => [p.id, p.group]), [['in', 'in'], ['approved', 'out'], ['rejected', 'out']]);
  });

  it('gives a trigger no input port and a lone next port no label', () => {
    const meta = nodeMetadata({ id: 'start', kind: 'trigger.manual', label: null, x: 0, y: 0, ports: ['next'] }, kinds);
    assert.deepEqual(meta.ports.items, [{ id: 'next', group: 'out', attrs: { text: { text: '' } } }]);
    assert.equal(meta.attrs.label.text, 'start', 'falls back to the id');
  });

  it('draws an unknown kind in grey instead of failing', () => {
    const meta = nodeMetadata({ id: 'x', kind: 'nope', x: 0, y: 0, ports: [] }, kinds);
    assert.equal(meta.attrs.stripe.fill, '#757575');
  });
});

describe('ports and sizes', () => {
  it('labels every port when there is more than next', () => {
    const items = portItems({ ports: ['next', 'error'] }, { input: true });
    assert.deepEqual(items.map((p) => p.attrs?.text.text), [undefined, 'next', 'error']);
  });

  it('grows with the number of ports', () => {
    assert.equal(nodeHeight(['next']), 56);
    assert.equal(nodeHeight(['a', 'b', 'c', 'd', 'default', 'error']), 136);
  });
});

describe('edges', () => {
  it('names an edge by source, port and target', () => {
    assert.equal(edgeId('review', 'approved', 'send'), 'review|approved|send');
    const meta = edgeMetadata({ source: 'review', port: 'approved', target: 'send' });
    assert.deepEqual(meta.source, { cell: 'review', port: 'approved' });
    assert.deepEqual(meta.target, { cell: 'send', port: 'in' });
    assert.equal(meta.attrs, undefined);
  });

  it('draws error edges dashed red', () => {
    assert.equal(edgeMetadata({ source: 'a', port: 'error', target: 'b' }).attrs.line.stroke, '#c62828');
    assert.equal(edgeMetadata({ source: 'a', port: 'error', target: 'b' }).attrs.line['marker-end'], `url(#${ERROR_ARROW})`);
  });
});

describe('graphFromCells', () => {
  it('reads nodes and edges back in the shape of a playbook document', () => {
    const cells = [
      { ...nodeMetadata({ id: 'start', kind: 'trigger.manual', x: 0, y: 0, ports: ['next'] }, kinds), position: { x: 0, y: 0 } },
      { ...nodeMetadata({ id: 'review', kind: 'approval', label: 'Send it?', x: 300, y: 0, ports: ['approved', 'rejected'] }, kinds), position: { x: 300, y: 0 } },
      edgeMetadata({ source: 'start', port: 'next', target: 'review' }),
      { shape: 'edge', id: 'preview', source: {}, target: {} },
    ];
    assert.deepEqual(graphFromCells(cells), {
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: null, position: { x: 0, y: 0 } },
        { id: 'review', kind: 'approval', label: 'Send it?', position: { x: 300, y: 0 } },
      ],
      edges: [{ from: 'start', port: 'next', to: 'review' }],
    });
  });
});

describe('small helpers', () => {
  it('cuts long text with an ellipsis', () => {
    assert.equal(fitText('short'), 'short');
    assert.equal(fitText('x'.repeat(30), 10), `${'x'.repeat(9)}…`);
  });

  it('makes an SVG data URL in the kind colour', () => {
    const url = iconUrl('<path d="M0 0"/>', '#123456');
    assert.ok(url.startsWith('data:image/svg+xml;charset=utf-8,'));
    assert.match(decodeURIComponent(url), /fill="#123456"><path d="M0 0"\/><\/svg>$/);
  });

  it('shows a badge only when there are problems', () => {
    assert.deepEqual(problemBadge([]), { visible: false, text: '0', title: '' });
    assert.deepEqual(problemBadge(['a', 'b']), { visible: true, text: '2', title: 'a\nb' });
    assert.equal(problemBadge(Array(12).fill('x')).text, '9+');
  });
});

describe('contentBox', () => {
  it('spans every node, ports included in the height', () => {
    assert.deepEqual(contentBox([
      { x: 0, y: 0, ports: ['next'] },
      { x: 560, y: 100, ports: ['a', 'b', 'c', 'd', 'default', 'error'] },
    ]), { x: 0, y: 0, width: 760, height: 236 });
    assert.equal(contentBox([]), null);
  });
});
