// Auto-layout with dagre: left to right, ranks by the edges, ports in order. Pure (dagre has no DOM needs), so it
// runs under node --test; the canvas reports the positions to the server as one move command (one undo step).
import dagre from '@dagrejs/dagre';

/**
 * New top-left positions for `nodes` (`{ id, width, height }`) connected by `edges` (`{ source, target }`),
 * rounded to the 10-pixel grid.
 * @returns {{ id: string, x: number, y: number }[]}
 */
export function layoutPositions(nodes, edges, { rankSep = 70, nodeSep = 30 } = {}) {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', ranksep: rankSep, nodesep: nodeSep, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, { width: node.width, height: node.height });
  }
  edges.forEach((edge, i) => {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) {
      graph.setEdge(edge.source, edge.target, {}, `e${i}`);
    }
  });
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    return { id: node.id, x: snap(placed.x - node.width / 2), y: snap(placed.y - node.height / 2) };
  });
}

function snap(value) {
  return Math.round(value / 10) * 10;
}
