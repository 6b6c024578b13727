// Run status overlay of the read-only canvas (the run page): how a step's status looks on its node. Pure: no X6
// import, so it runs under node --test. designer.js applies what statusChanges() returns with node.setAttrs().

/**
 * Step statuses the run page sends, with the outline and tint each gets; anything else draws as 'none'. Tints are
 * translucent so the node text stays readable on the light and the dark theme.
 */
const STYLES = {
  running: { stroke: '#1e88e5', strokeWidth: 3, fill: 'rgba(30, 136, 229, 0.14)', dash: '6 3', label: 'Running' },
  waiting: { stroke: '#f9a825', strokeWidth: 3, fill: 'rgba(249, 168, 37, 0.18)', dash: null, label: 'Waiting for you' },
  pending: { stroke: '#8e24aa', strokeWidth: 2, fill: 'rgba(142, 36, 170, 0.12)', dash: '2 3', label: 'Will run again' },
  done: { stroke: '#2e7d32', strokeWidth: 3, fill: 'rgba(46, 125, 50, 0.16)', dash: null, label: 'Done' },
  failed: { stroke: '#c62828', strokeWidth: 3, fill: 'rgba(198, 40, 40, 0.14)', dash: null, label: 'Failed' },
  skipped: { stroke: '#757575', strokeWidth: 2, fill: 'rgba(117, 117, 117, 0.12)', dash: '4 4', label: 'Skipped' },
};

// A node the run has not reached keeps the designer's own look (the theme's colours).
const NONE = { stroke: 'var(--bos-node-border, #c9c9d6)', strokeWidth: 1, fill: 'var(--bos-node-bg, #fff)', dash: null, label: 'Not reached' };

export const STEP_STATUSES = Object.freeze(Object.keys(STYLES));

/** The look of a node in `status` (case-insensitive); unknown or missing statuses look like a node not reached. */
export function statusStyle(status) {
  const key = typeof status === 'string' ? status.toLowerCase() : '';
  const style = STYLES[key] ?? NONE;
  return { status: STYLES[key] ? key : 'none', ...style };
}

/** The X6 attributes of a node body for `status`; `data-status` lets tests and CSS find it. */
export function statusAttrs(status) {
  const style = statusStyle(status);
  return {
    body: {
      stroke: style.stroke,
      strokeWidth: style.strokeWidth,
      strokeDasharray: style.dash ?? 'none',
      fill: style.fill,
      'data-status': style.status,
      title: style.label,
    },
  };
}

/**
 * What to repaint when the statuses go from `previous` to `next` (both `{ nodeId: status }`): one entry per node whose
 * status changed, including nodes that lost theirs (a new run of the page), as `{ id, status, attrs }`.
 */
export function statusChanges(previous, next) {
  const before = previous ?? {};
  const after = next ?? {};
  const changes = [];
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = statusStyle(before[id]).status;
    const now = statusStyle(after[id]).status;
    if (was !== now) {
      changes.push({ id, status: now, attrs: statusAttrs(now) });
    }
  }
  return changes;
}

/** How many nodes are in each status, e.g. `{ done: 3, running: 1 }`, for the page and browser tests. */
export function statusCounts(statuses) {
  const counts = {};
  for (const status of Object.values(statuses ?? {})) {
    const key = statusStyle(status).status;
    if (key !== 'none') {
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}
