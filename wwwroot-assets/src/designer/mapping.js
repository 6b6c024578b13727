// Mapping between the server's view of a playbook (nodes with kind, label, position and ports; edges with
// source, port and target) and X6 cell metadata. Pure: no X6 import, so it runs under node --test.
import { INPUT_PORT, NEXT_PORT } from './rules.js';

export const NODE_WIDTH = 200;
/** Ids of the arrowhead markers the canvas defines once (views.js defineArrows). */
export const ARROW = 'bos-arrow';
export const ERROR_ARROW = 'bos-arrow-error';
const MIN_HEIGHT = 56;
const PORT_SPACING = 20;

/** The X6 id of an edge. Node ids never contain '|', so the three parts cannot run into each other. */
export function edgeId(from, port, to) {
  return `${from}|${port}|${to}`;
}

/** A node's height: room for every output port's label. */
export function nodeHeight(ports) {
  return Math.max(MIN_HEIGHT, 16 + PORT_SPACING * (ports?.length ?? 0));
}

/** The SVG icon of a kind as an image URL (MudBlazor icons are the inside of a 24×24 SVG). */
export function iconUrl(svgBody, color) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="${color}">${svgBody ?? ''}</svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Text that fits the node: long labels are cut with an ellipsis. */
export function fitText(text, max = 24) {
  const value = text ?? '';
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/**
 * The port items of a node: one input on the left (not for triggers), one output per named port on the right.
 * A single `next` port needs no label; every other port shows its name.
 */
export function portItems(view, kind) {
  const items = [];
  if (kind?.input !== false) {
    items.push({ id: INPUT_PORT, group: 'in' });
  }
  const ports = view.ports ?? [];
  const quiet = ports.length === 1 && ports[0] === NEXT_PORT;
  for (const port of ports) {
    items.push({
      id: port,
      group: 'out',
      attrs: { text: { text: quiet ? '' : fitText(port, 14) } },
    });
  }
  return items;
}

/**
 * X6 metadata of a node from the server's view (`{ id, kind, label, x, y, ports }`) and the kind catalog
 * (`{ [kind]: { name, color, icon, input } }`).
 */
export function nodeMetadata(view, kinds) {
  const kind = kinds[view.kind] ?? { name: view.kind, color: '#757575', icon: '', input: true };
  const label = view.label || view.id;
  return {
    id: view.id,
    shape: 'bos-activity',
    x: view.x,
    y: view.y,
    width: NODE_WIDTH,
    height: nodeHeight(view.ports),
    data: { kind: view.kind, label: view.label ?? null, ports: [...(view.ports ?? [])] },
    attrs: {
      stripe: { fill: kind.color },
      icon: { 'xlink:href': iconUrl(kind.icon, kind.color) },
      label: { text: fitText(label) },
      kind: { text: fitText(`${kind.name} · ${view.id}`, 30) },
    },
    ports: { items: portItems(view, kind) },
  };
}

/** X6 metadata of an edge from the server's view (`{ source, port, target }`). */
export function edgeMetadata(view) {
  const error = view.port === 'error';
  return {
    id: edgeId(view.source, view.port, view.target),
    shape: 'bos-edge',
    source: { cell: view.source, port: view.port },
    target: { cell: view.target, port: INPUT_PORT },
    data: { port: view.port },
    attrs: error ? { line: { stroke: '#c62828', strokeDasharray: '5 4', 'marker-end': `url(#${ERROR_ARROW})` } } : undefined,
  };
}

/**
 * The playbook graph read back from X6 cells (`graph.toJSON().cells`): nodes with id, kind, label and position,
 * edges with from, port and to — the shape of a `blazoros/playbook@1` document's nodes and edges.
 */
export function graphFromCells(cells) {
  const nodes = [];
  const edges = [];
  for (const cell of cells) {
    if (cell.shape === 'bos-activity') {
      nodes.push({
        id: cell.id,
        kind: cell.data?.kind,
        label: cell.data?.label ?? null,
        position: { x: cell.position?.x ?? 0, y: cell.position?.y ?? 0 },
      });
    } else if (cell.shape === 'bos-edge') {
      edges.push({ from: cell.source.cell, port: cell.source.port, to: cell.target.cell });
    }
  }
  return { nodes, edges };
}

/** The badge a node shows for its validation problems: hidden without any, else the count and the messages. */
export function problemBadge(problems) {
  const list = problems ?? [];
  return {
    visible: list.length > 0,
    text: list.length > 9 ? '9+' : String(list.length),
    title: list.join('\n'),
  };
}

/** The extent of view nodes on the canvas (`{ x, y, width, height }`), or null without nodes; no X6 needed. */
export function contentBox(nodes) {
  if (nodes.length === 0) {
    return null;
  }
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const node of nodes) {
    left = Math.min(left, node.x);
    top = Math.min(top, node.y);
    right = Math.max(right, node.x + NODE_WIDTH);
    bottom = Math.max(bottom, node.y + nodeHeight(node.ports));
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}
