// Connection rules checked while an edge is dragged, so an invalid link is refused with its reason before it exists.
// Pure: no X6, no DOM. The server checks the same rules again (PlaybookDraft's connect command) and the validator
// checks the whole graph on save; these are the ones a person can see at the moment of drawing.

/** The port every edge leaves through unless it names another (CONTRACTS §1). */
export const NEXT_PORT = 'next';

/** The id of the single input port every node but a trigger has. */
export const INPUT_PORT = 'in';

/**
 * Whether a port may stay silent on a run: everything but `next` (true/false, switch cases, default,
 * approved/rejected, error). A join waits for all its inputs, so none of them may come through such a port.
 * @param {string} port
 */
export function isConditionalPort(port) {
  return port !== NEXT_PORT;
}

/**
 * Why an edge from (source, sourcePort) to (target, targetPort) may not be drawn, or null when it may.
 * @param {{ source?: string|null, sourcePort?: string|null, sourceGroup?: string|null,
 *           target?: string|null, targetPort?: string|null, targetGroup?: string|null }} link
 * @param {{ kindOf: (id: string) => string|undefined, hasEdge: (from: string, port: string, to: string) => boolean }} graph
 * @returns {string|null}
 */
export function connectionProblem(link, graph) {
  const { source, sourcePort, sourceGroup, target, targetGroup } = link;
  if (!source || !sourcePort || sourceGroup !== 'out') {
    return 'Start an edge at an output port: the dots on the right side of a step.';
  }
  if (!target) {
    return 'Drop the edge on the input port (the dot on the left side) of another step.';
  }
  if (target === source) {
    return 'A step cannot lead back to itself.';
  }
  const targetKind = graph.kindOf(target);
  if (targetKind?.startsWith('trigger.')) {
    return `'${target}' is the trigger: nothing may lead into it.`;
  }
  if (targetGroup !== 'in') {
    return 'Edges run from an output port (right side) into an input port (left side), not between two outputs.';
  }
  if (graph.hasEdge(source, sourcePort, target)) {
    return `'${source}' already leads to '${target}' through '${sourcePort}'.`;
  }
  if (targetKind === 'join' && isConditionalPort(sourcePort)) {
    return `A join waits for every branch, and the '${sourcePort}' port of '${source}' may never fire: `
      + 'feed a join only from the next ports of one parallel split.';
  }
  return null;
}
