// Cheaper cell views for large playbooks. X6 builds every cell view's options by deep-cloning and deep-merging its
// class defaults, once per cell: on a 500-step, 600-edge playbook that is a tenth of the first render. The result
// depends only on the view class and the graph, and no view writes to it, so one copy per class and graph is shared.
import { EdgeView, NodeView } from '@antv/x6';
import { ARROW, ERROR_ARROW } from './mapping.js';

/** `Base` with its options computed once per graph instead of once per cell. */
export function withSharedOptions(Base) {
  const byGraph = new WeakMap();
  return class extends Base {
    static getOptions(options) {
      const graph = options?.graph;
      const onlyGraph = graph && Object.keys(options).length === 1;
      if (!onlyGraph) {
        return super.getOptions(options);
      }
      let shared = byGraph.get(graph);
      if (!shared) {
        shared = super.getOptions(options);
        byGraph.set(graph, shared);
      }
      return shared;
    }
  };
}

export const SharedNodeView = withSharedOptions(NodeView);
export const SharedEdgeView = withSharedOptions(EdgeView);

/**
 * Defines the arrowheads that `mapping.js` edges point to by id (ARROW, ERROR_ARROW) in `graph`'s defs, once: X6's
 * `targetMarker` attribute builds and hashes a marker definition for every edge. The tip sits on the line's end.
 */
export function defineArrows(graph) {
  for (const [id, color] of [[ARROW, '#8a8a9a'], [ERROR_ARROW, '#c62828']]) {
    graph.defineMarker({ id, tagName: 'path', d: 'M -8 -3 L 0 0 L -8 3 Z', fill: color, stroke: color, strokeWidth: 1 });
  }
}
