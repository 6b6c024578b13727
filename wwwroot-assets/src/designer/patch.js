// Applies a patch from the server to a canvas. The server owns the playbook; after every command it sends what
// changed: `{ removeEdges, removeNodes, addNodes, updateNodes, addEdges }` (ids for removals, views for the rest).
// Pure: the canvas is any object with the five operations below, so the order and the no-op skipping are testable.
import { edgeMetadata, nodeMetadata } from './mapping.js';

/**
 * @typedef {object} PatchTarget
 * @property {(ids: string[]) => void} removeCells
 * @property {(metadata: object[]) => void} addNodes
 * @property {(metadata: object[]) => void} addEdges
 * @property {(id: string) => object|null} nodeData the current `{ kind, label, ports, x, y }` of a node, or null
 * @property {(id: string, metadata: object, changes: { position: boolean, shape: boolean }) => void} updateNode
 */

/**
 * Applies `patch` in an order that never leaves an edge without its nodes: edges out, nodes out, nodes in,
 * nodes changed, edges in. Updates that change nothing (the browser already moved the node) are skipped.
 * @param {PatchTarget} target
 * @param {object} patch
 * @param {object} kinds
 * @returns {{ removed: number, added: number, updated: number }}
 */
export function applyPatch(target, patch, kinds) {
  const removed = [...(patch.removeEdges ?? []), ...(patch.removeNodes ?? [])];
  if (removed.length > 0) {
    target.removeCells(removed);
  }
  const addNodes = (patch.addNodes ?? []).map((view) => nodeMetadata(view, kinds));
  if (addNodes.length > 0) {
    target.addNodes(addNodes);
  }
  let updated = 0;
  for (const view of patch.updateNodes ?? []) {
    const current = target.nodeData(view.id);
    if (!current) {
      target.addNodes([nodeMetadata(view, kinds)]);
      updated += 1;
      continue;
    }
    const changes = nodeChanges(current, view);
    if (changes.position || changes.shape) {
      target.updateNode(view.id, nodeMetadata(view, kinds), changes);
      updated += 1;
    }
  }
  const addEdges = (patch.addEdges ?? []).map(edgeMetadata);
  if (addEdges.length > 0) {
    target.addEdges(addEdges);
  }
  return { removed: removed.length, added: addNodes.length + addEdges.length, updated };
}

/** What differs between a node on the canvas and the server's view of it. */
export function nodeChanges(current, view) {
  const position = current.x !== view.x || current.y !== view.y;
  const shape = current.kind !== view.kind
    || (current.label ?? null) !== (view.label ?? null)
    || !sameList(current.ports ?? [], view.ports ?? []);
  return { position, shape };
}

function sameList(a, b) {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
