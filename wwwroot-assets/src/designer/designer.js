// The playbook canvas: AntV X6 behind a narrow surface for Blazor (DesignerInterop.cs).
//
// The server owns the playbook. This module draws what the server sends (load, applyPatch, showProblems) and reports
// what a person did as end results only: nodes moved (after the drag), an edge drawn, a palette item dropped, the
// selection changed, a shortcut pressed. Dragging, panning, zooming and rubber-band selection stay in the browser.
// Pure parts live beside it (rules.js, mapping.js, patch.js, layout.js, status.js) and have node:test tests.
//
// With `readOnly: true` (the run page) it only shows: no dragging, connecting, deleting or editing keys; panning
// (also with the left button), zooming and fit stay; a click on a step is reported (OnNodeClick), and setStatus()
// colours each step by its run status (status.js).
import { Export, Graph, Keyboard, MiniMap, NodeView, Selection, Snapline } from '@antv/x6';
import { contentBox, edgeMetadata, graphFromCells, nodeMetadata, problemBadge, ARROW, NODE_WIDTH } from './mapping.js';
import { applyPatch } from './patch.js';
import { connectionProblem } from './rules.js';
import { layoutPositions } from './layout.js';
import { defineArrows, SharedEdgeView, SharedNodeView, withSharedOptions } from './views.js';
import { statusChanges, statusCounts, statusStyle } from './status.js';

const PALETTE_TYPE = 'application/x-blazoros-kind';
const GRID = 10;
// A JS→.NET message over 32 KB closes the circuit: larger payloads travel as a stream (Uint8Array).
const INLINE_LIMIT = 16 * 1024;
// Below this zoom a whole playbook is not readable any more: fit() stops there.
const MIN_FIT_SCALE = 0.5;
// Below this zoom steps are drawn without text and ports (app.css .bos-lod).
const LOD_SCALE = 0.45;

let shapesRegistered = false;

function registerShapes() {
  if (shapesRegistered) {
    return;
  }
  shapesRegistered = true;
  Graph.registerNode('bos-activity', {
    width: NODE_WIDTH,
    height: 56,
    markup: [
      { tagName: 'rect', selector: 'body' },
      { tagName: 'rect', selector: 'stripe' },
      { tagName: 'image', selector: 'icon' },
      { tagName: 'text', selector: 'label' },
      { tagName: 'text', selector: 'kind' },
      {
        tagName: 'g',
        selector: 'badge',
        children: [
          { tagName: 'circle', selector: 'badgeDot' },
          { tagName: 'text', selector: 'badgeText' },
        ],
      },
    ],
    attrs: {
      body: { refWidth: '100%', refHeight: '100%', rx: 8, ry: 8, fill: 'var(--bos-node-bg, #fff)', stroke: 'var(--bos-node-border, #c9c9d6)', strokeWidth: 1 },
      stripe: { width: 6, refHeight: '100%', rx: 3, ry: 3, fill: '#999' },
      icon: { x: 14, y: 10, width: 22, height: 22 },
      label: { x: 44, y: 22, fontSize: 13, fontWeight: 600, fill: 'var(--bos-node-text, #1f1f29)', textAnchor: 'start', textVerticalAnchor: 'middle' },
      kind: { x: 44, y: 40, fontSize: 11, fill: 'var(--bos-node-muted, #6b6b7b)', textAnchor: 'start', textVerticalAnchor: 'middle' },
      badge: { visibility: 'hidden', class: 'bos-node-badge', event: 'node:badge' },
      badgeDot: { refCx: '100%', cy: 0, r: 10, fill: '#c62828', stroke: '#fff', strokeWidth: 2 },
      badgeText: { refX: '100%', y: 0, fontSize: 11, fontWeight: 700, fill: '#fff', textAnchor: 'middle', textVerticalAnchor: 'middle' },
    },
    ports: {
      groups: {
        in: {
          position: 'left',
          attrs: { circle: { r: 6, magnet: 'passive', stroke: '#8a8a9a', strokeWidth: 2, fill: '#fff' } },
        },
        out: {
          position: 'right',
          label: { position: { name: 'left', args: { x: -10 } } },
          attrs: {
            circle: { r: 6, magnet: true, stroke: '#594ae2', strokeWidth: 2, fill: 'var(--bos-node-bg, #fff)', cursor: 'crosshair' },
            text: { fontSize: 10, fill: 'var(--bos-node-muted, #6b6b7b)' },
          },
        },
      },
    },
  }, true);
  Graph.registerEdge('bos-edge', {
    inherit: 'edge',
    attrs: {
      // targetMarker: null drops the base edge's 'classic' marker, which X6 would build and hash for every edge.
      line: { stroke: '#8a8a9a', strokeWidth: 1.6, targetMarker: null, 'marker-end': `url(#${ARROW})` },
    },
    router: { name: 'normal' },
    connector: { name: 'smooth' },
    zIndex: 0,
  }, true);
}

/** What the minimap draws for a node: one rectangle, no ports, no text. */
class MiniNodeView extends withSharedOptions(NodeView) {
  renderMarkup() {
    return this.renderJSONMarkup({ tagName: 'rect', selector: 'body' });
  }

  renderPorts() {}

  update() {
    super.update({ body: { refWidth: '100%', refHeight: '100%', rx: 6, fill: '#b9b4f0' } });
  }
}

class Designer {
  /**
   * @param {HTMLElement} host the element that holds the canvas, the minimap and the hint
   * @param {any} dotnet a DotNetObjectReference with the [JSInvokable] handlers of DesignerInterop
   * @param {{ kinds: object, view: { nodes: object[], edges: object[] } }} options
   */
  constructor(host, dotnet, options) {
    registerShapes();
    this.host = host;
    this.dotnet = dotnet;
    this.kinds = options.kinds ?? {};
    this.problems = new Map();
    this.disposed = false;
    this.connecting = false;
    this.pointer = null;
    this.readOnly = options.readOnly === true;
    this.statuses = {};

    this.canvas = host.querySelector('.bos-designer-graph');
    this.hint = host.querySelector('.bos-designer-hint');
    const minimap = host.querySelector('.bos-designer-minimap');

    this.graph = new Graph({
      container: this.canvas,
      autoResize: true,
      grid: { size: GRID, visible: true, type: 'dot', args: { color: 'var(--bos-grid, #d0d0dc)' } },
      background: { color: 'transparent' },
      panning: { enabled: true, eventTypes: ['rightMouseDown', 'mouseWheel', 'mouseWheelDown', ...(this.readOnly ? ['leftMouseDown'] : [])] },
      mousewheel: { enabled: true, modifiers: ['ctrl', 'meta'], factor: 1.1, minScale: 0.1, maxScale: 3 },
      scaling: { min: 0.1, max: 3 },
      preventDefaultContextMenu: true,
      // Drawn synchronously (one task, no frame-by-frame queue) and only what is in view (virtual rendering).
      async: false,
      virtual: true,
      createCellView: (cell) => (cell.isEdge() ? SharedEdgeView : SharedNodeView),
      interacting: this.readOnly ? false : { edgeMovable: false, arrowheadMovable: false, vertexAddable: false, vertexMovable: false, edgeLabelMovable: false },
      connecting: {
        snap: { radius: 24 },
        allowBlank: false,
        allowLoop: false,
        allowNode: false,
        allowEdge: false,
        allowPort: true,
        allowMulti: 'withPort',
        highlight: true,
        router: { name: 'normal' },
        connector: { name: 'smooth' },
        // Lines end where the port's circle does (radius 6, stroke 2), measured from its centre: X6's default
        // ('boundary') measures the circle's SVG element for every edge end, a third of drawing an edge.
        connectionPoint: { name: 'anchor', args: { offset: 7 } },
        createEdge: () => this.graph.createEdge({ shape: 'bos-edge' }),
        validateMagnet: ({ magnet }) => magnet.getAttribute('port-group') === 'out',
        validateConnection: (args) => this.problemOf(args) === null,
      },
      highlighting: {
        magnetAvailable: { name: 'stroke', args: { attrs: { stroke: '#2e7d32', strokeWidth: 3 } } },
        magnetAdsorbed: { name: 'stroke', args: { attrs: { stroke: '#2e7d32', strokeWidth: 4 } } },
      },
    });

    // Edges reference these markers by id, in both modes.
    defineArrows(this.graph);
    if (this.readOnly) {
      this.useReadOnly();
    } else {
      this.useEditing();
    }
    this.load(options.view, options.problems);
    // The minimap draws every step a second time: it starts once the canvas is on screen, drawing frame by frame.
    // The run page's small read-only canvas has none.
    if (!this.readOnly) {
      this.afterRender(() => this.useMiniMap(minimap));
    }
  }

  /** Plugins and handlers of the editable designer. */
  useEditing() {
    this.graph.use(new Selection({
      enabled: true,
      multiple: true,
      // Shift+click as in n8n and most drawing tools; Ctrl/⌘+click as X6 has it.
      multipleSelectionModifiers: ['ctrl', 'meta', 'shift'],
      rubberband: true,
      rubberEdge: true,
      movable: true,
      showNodeSelectionBox: true,
      showEdgeSelectionBox: true,
      pointerEvents: 'none',
    }));
    this.graph.use(new Snapline({ enabled: true, sharp: true }));
    this.graph.use(new Keyboard({ enabled: true, global: false }));
    this.graph.use(new Export());
    this.bindGraphEvents();
    this.bindKeys();
    this.bindDom();
  }

  /** The run page's canvas: view keys only, and a click on a step opens it. */
  useReadOnly() {
    this.graph.use(new Keyboard({ enabled: true, global: false }));
    this.graph.on('scale', ({ sx }) => this.canvas.classList.toggle('bos-lod', sx < LOD_SCALE));
    this.graph.on('node:click', ({ node }) => this.invoke('OnNodeClick', node.id));
    this.graph.bindKey(['shift+1'], () => { this.fit(); return false; });
    this.graph.bindKey(['=', '+', 'shift+='], () => { this.zoom(0.1); return false; });
    this.graph.bindKey(['-'], () => { this.zoom(-0.1); return false; });
    this.host.dataset.readonly = 'true';
  }

  useMiniMap(container) {
    if (!container || this.disposed) {
      return;
    }
    this.graph.use(new MiniMap({
      container,
      width: 200,
      height: 130,
      padding: 8,
      graphOptions: {
        async: true,
        createCellView: (cell) => (cell.isEdge() ? null : MiniNodeView),
      },
    }));
  }

  // ---- .NET → canvas ------------------------------------------------------------------------------------

  /** Replaces everything on the canvas with `view` and fits it into the window. */
  load(view, problems) {
    const started = performance.now();
    this.host.dataset.ready = 'false';
    this.graph.cleanSelection();
    // Zoom and pan first, so that only what will be in view is drawn.
    this.fit(contentBox(view?.nodes ?? []));
    this.graph.resetCells([
      ...(view?.nodes ?? []).map((node) => this.graph.createNode(nodeMetadata(node, this.kinds))),
      ...(view?.edges ?? []).map((edge) => this.graph.createEdge(edgeMetadata(edge))),
    ]);
    this.showProblems(problems ?? {});
    this.afterRender(() => {
      this.host.dataset.ready = 'true';
      this.host.dataset.loadMs = String(Math.round(performance.now() - started));
      this.host.dataset.readyAt = String(Math.round(performance.now()));
    });
  }

  /** Applies what a server command changed (see patch.js). */
  applyPatch(patch) {
    // The server already knows the selection that results (it drops removed steps and names new ones in
    // patch.select): the selection changes X6 makes on the way are not reported back.
    this.applyingSelection = true;
    try {
      this.graph.batchUpdate('server', () => {
        applyPatch(this.patchTarget(), patch, this.kinds);
      });
      if (patch.select) {
        this.select(patch.select);
      }
    } finally {
      this.applyingSelection = false;
    }
    if (patch.problems) {
      this.showProblems(patch.problems);
    }
    this.host.dataset.revision = String((Number(this.host.dataset.revision) || 0) + 1);
  }

  /** Shows each node's validation problems as a red badge with the messages as its tooltip. */
  showProblems(problems) {
    const next = new Map(Object.entries(problems ?? {}));
    const touched = new Set([...this.problems.keys(), ...next.keys()]);
    this.problems = next;
    for (const id of touched) {
      const node = this.graph.getCellById(id);
      if (node?.isNode()) {
        const badge = problemBadge(next.get(id));
        node.setAttrs({
          badge: { visibility: badge.visible ? 'visible' : 'hidden', title: badge.title },
          body: { stroke: badge.visible ? '#c62828' : 'var(--bos-node-border, #c9c9d6)' },
          badgeText: { text: badge.text },
        });
      }
    }
    this.host.dataset.problemNodes = String([...next.values()].filter((p) => p.length > 0).length);
  }

  /**
   * Colours each step by its run status (`{ nodeId: 'running' | 'waiting' | 'done' | 'failed' | 'skipped' | 'pending' }`);
   * steps left out look as in the designer. Only steps whose status changed are repainted.
   */
  setStatus(statuses) {
    const next = { ...(statuses ?? {}) };
    const changes = statusChanges(this.statuses, next);
    this.statuses = next;
    this.graph.batchUpdate('status', () => {
      for (const change of changes) {
        const node = this.graph.getCellById(change.id);
        if (node?.isNode()) {
          node.setAttrs(change.attrs);
        }
      }
    });
    this.host.dataset.statusCounts = JSON.stringify(statusCounts(next));
    this.host.dataset.statusRevision = String((Number(this.host.dataset.statusRevision) || 0) + 1);
  }

  /** The status a step is drawn in ('none' when the run has not reached it). Used by browser tests. */
  statusOf(id) {
    return statusStyle(this.statuses[id]).status;
  }

  /** Selects exactly these cells (node ids or edge ids). */
  select(ids) {
    this.graph.resetSelection(ids.filter((id) => this.graph.hasCell(id)));
  }

  /**
   * Fits the playbook (or `box`, its extent) into the window. A large one would shrink below a useful size: it is
   * shown from its top-left corner at half size instead (the minimap shows the rest). The box is in graph units, from
   * the cells' geometry (getContentArea): getContentBBox is in screen pixels, after the current zoom and pan.
   */
  fit(box = this.graph.getCellCount() > 0 ? this.graph.getContentArea() : null) {
    if (!box) {
      this.graph.zoomTo(1);
      this.graph.translate(40, 40);
    } else {
      const width = this.canvas.clientWidth - 80;
      const height = this.canvas.clientHeight - 80;
      const scale = Math.max(MIN_FIT_SCALE, Math.min(1.2, width / box.width, height / box.height));
      const fits = box.width * scale <= width && box.height * scale <= height;
      this.graph.zoomTo(scale);
      this.graph.translate(
        fits ? 40 + (width - box.width * scale) / 2 - box.x * scale : 40 - box.x * scale,
        fits ? 40 + (height - box.height * scale) / 2 - box.y * scale : 40 - box.y * scale);
    }
    // X6 updates the drawn area 200 ms after a zoom at the latest; draw the new view now.
    const area = this.graph.getGraphArea().clone();
    area.inflate(120, 120);
    this.graph.renderer.setRenderArea(area);
  }

  zoom(factor) {
    this.graph.zoom(factor, { minScale: 0.1, maxScale: 3 });
  }

  /** Computes a left-to-right layout (dagre); the positions go to .NET, which moves the nodes as one command. */
  layout() {
    const nodes = this.graph.getNodes().map((node) => ({ id: node.id, ...node.getSize() }));
    const edges = this.graph.getEdges().map((edge) => ({ source: edge.getSourceCellId(), target: edge.getTargetCellId() }));
    return encode(layoutPositions(nodes, edges));
  }

  /** Downloads the canvas as an SVG picture. */
  exportImage(fileName) {
    this.graph.exportSVG(fileName, { preserveDimensions: true, copyStyles: false });
  }

  /** The graph as drawn: nodes (id, kind, label, position) and edges (from, port, to). Used by browser tests. */
  snapshot() {
    return graphFromCells(this.graph.toJSON().cells);
  }

  dispose() {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    document.removeEventListener('dragstart', this.onPaletteDragStart);
    this.canvas.removeEventListener('dragover', this.onDragOver);
    this.canvas.removeEventListener('drop', this.onDrop);
    this.canvas.removeEventListener('mousemove', this.onPointerMove, true);
    this.canvas.removeEventListener('mouseup', this.onPointerUp, true);
    clearTimeout(this.hintTimer);
    this.graph.off();
    this.graph.dispose();
    if (window.blazorOsDesigner === this) {
      delete window.blazorOsDesigner;
    }
  }

  // ---- canvas → .NET ------------------------------------------------------------------------------------

  bindGraphEvents() {
    const graph = this.graph;
    // Zoomed out, text and ports are too small to read: not drawing them keeps a 500-step canvas quick.
    graph.on('scale', ({ sx }) => this.canvas.classList.toggle('bos-lod', sx < LOD_SCALE));
    graph.on('node:moved', ({ node }) => {
      const moved = graph.isSelected(node) ? graph.getSelectedCells().filter((cell) => cell.isNode()) : [node];
      const positions = moved.map((cell) => ({ id: cell.id, ...cell.getPosition() }));
      this.send('OnNodesMoved', positions);
    });
    graph.on('edge:connected', ({ edge, isNew }) => {
      const source = edge.getSourceCellId();
      const port = edge.getSourcePortId();
      const target = edge.getTargetCellId();
      this.connecting = false;
      this.showHint(null);
      if (isNew) {
        // The server draws the edge it accepts (with its own id); this one was only the drag preview.
        edge.remove({ ui: true });
      }
      if (source && port && target) {
        this.invoke('OnConnect', source, port, target);
      }
    });
    graph.on('edge:added', ({ edge }) => {
      if (!edge.id.includes('|')) {
        this.connecting = true;
      }
    });
    graph.on('edge:removed', ({ edge }) => {
      if (!edge.id.includes('|')) {
        this.connecting = false;
      }
    });
    graph.on('selection:changed', () => {
      if (this.applyingSelection) {
        return;
      }
      const cells = graph.getSelectedCells();
      this.invoke('OnSelectionChanged',
        cells.filter((cell) => cell.isNode()).map((cell) => cell.id),
        cells.filter((cell) => cell.isEdge()).map((cell) => cell.id));
    });
    graph.on('edge:mouseenter', ({ edge }) => {
      if (edge.id.includes('|')) {
        edge.addTools([{ name: 'button-remove', args: { distance: '50%', onClick: () => this.invoke('OnDelete', [], [edge.id]) } }]);
      }
    });
    graph.on('edge:mouseleave', ({ edge }) => edge.removeTools());
    graph.on('node:dblclick', ({ node }) => this.invoke('OnShortcut', 'properties', node.id));
  }

  bindKeys() {
    const keys = [
      [['ctrl+z', 'meta+z'], 'undo'],
      [['ctrl+shift+z', 'meta+shift+z', 'ctrl+y', 'meta+y'], 'redo'],
      [['ctrl+c', 'meta+c'], 'copy'],
      [['ctrl+v', 'meta+v'], 'paste'],
      [['ctrl+d', 'meta+d'], 'duplicate'],
      [['ctrl+s', 'meta+s'], 'save'],
      [['ctrl+l', 'meta+l'], 'layout'],
      [['delete', 'backspace'], 'delete'],
      [['?', 'shift+/'], 'help'],
    ];
    for (const [combos, name] of keys) {
      this.graph.bindKey(combos, (e) => {
        e?.preventDefault?.();
        if (name === 'delete') {
          this.requestDelete();
        } else {
          this.invoke('OnShortcut', name, null);
        }
        return false;
      });
    }
    this.graph.bindKey(['ctrl+a', 'meta+a'], (e) => {
      e?.preventDefault?.();
      this.graph.resetSelection(this.graph.getNodes());
      return false;
    });
    this.graph.bindKey(['shift+1'], () => { this.fit(); return false; });
    this.graph.bindKey(['=', '+', 'shift+='], () => { this.zoom(0.1); return false; });
    this.graph.bindKey(['-'], () => { this.zoom(-0.1); return false; });
    this.graph.bindKey(['escape'], () => { this.graph.cleanSelection(); return false; });
  }

  requestDelete() {
    const cells = this.graph.getSelectedCells();
    const nodes = cells.filter((cell) => cell.isNode()).map((cell) => cell.id);
    const edges = cells.filter((cell) => cell.isEdge() && cell.id.includes('|')).map((cell) => cell.id);
    if (nodes.length > 0 || edges.length > 0) {
      this.invoke('OnDelete', nodes, edges);
    }
  }

  bindDom() {
    // Palette items are plain elements with data-palette-kind; the drag carries the kind to the canvas.
    this.onPaletteDragStart = (e) => {
      const item = e.target?.closest?.('[data-palette-kind]');
      if (item && e.dataTransfer) {
        e.dataTransfer.setData(PALETTE_TYPE, item.getAttribute('data-palette-kind'));
        e.dataTransfer.effectAllowed = 'copy';
      }
    };
    this.onDragOver = (e) => {
      if (e.dataTransfer?.types?.includes(PALETTE_TYPE)) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }
    };
    this.onDrop = (e) => {
      const kind = e.dataTransfer?.getData(PALETTE_TYPE);
      if (!kind) {
        return;
      }
      e.preventDefault();
      const point = this.graph.clientToLocal(e.clientX, e.clientY);
      const x = Math.round((point.x - NODE_WIDTH / 2) / GRID) * GRID;
      const y = Math.round((point.y - 28) / GRID) * GRID;
      this.invoke('OnPaletteDrop', kind, x, y);
    };
    // While an edge is dragged: say why the step under the pointer cannot take it; after a refused drop keep
    // the reason on screen for a while.
    this.onPointerMove = (e) => {
      if (!this.connecting) {
        return;
      }
      this.pointer = { x: e.clientX, y: e.clientY };
      if (!this.moveFrame) {
        this.moveFrame = requestAnimationFrame(() => {
          this.moveFrame = 0;
          if (this.connecting && this.pointer) {
            const target = this.targetAt(this.pointer.x, this.pointer.y);
            this.showHint(target ? this.problemOfDrag(target) : null);
          }
        });
      }
    };
    this.onPointerUp = (e) => {
      if (!this.connecting) {
        return;
      }
      const target = this.targetAt(e.clientX, e.clientY);
      const reason = target ? this.problemOfDrag(target) : null;
      if (reason) {
        this.showHint(reason, 5000);
      } else {
        this.showHint(null);
      }
    };
    document.addEventListener('dragstart', this.onPaletteDragStart);
    this.canvas.addEventListener('dragover', this.onDragOver);
    this.canvas.addEventListener('drop', this.onDrop);
    this.canvas.addEventListener('mousemove', this.onPointerMove, true);
    this.canvas.addEventListener('mouseup', this.onPointerUp, true);
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  problemOf({ sourceCell, targetCell, sourceMagnet, targetMagnet }) {
    return connectionProblem({
      source: sourceCell?.id,
      sourcePort: sourceMagnet?.getAttribute('port'),
      sourceGroup: sourceMagnet?.getAttribute('port-group'),
      target: targetCell?.id,
      targetPort: targetMagnet?.getAttribute('port'),
      targetGroup: targetMagnet ? targetMagnet.getAttribute('port-group') : null,
    }, this.lookup());
  }

  /** The rule broken by dropping the dragged edge on `target` (`{ cell, port, group }`), or null. */
  problemOfDrag(target) {
    const edge = this.graph.getEdges().find((e) => !e.id.includes('|'));
    if (!edge) {
      return null;
    }
    return connectionProblem({
      source: edge.getSourceCellId(),
      sourcePort: edge.getSourcePortId(),
      sourceGroup: 'out',
      target: target.cell,
      targetPort: target.port,
      targetGroup: target.group ?? 'in',
    }, this.lookup());
  }

  /** The node (and port) under a client point, looking through the edge being dragged. */
  targetAt(clientX, clientY) {
    for (const element of document.elementsFromPoint(clientX, clientY)) {
      if (!this.canvas.contains(element)) {
        continue;
      }
      const cell = element.closest('[data-cell-id]');
      const id = cell?.getAttribute('data-cell-id');
      if (id && !id.includes('|') && this.graph.getCellById(id)?.isNode()) {
        const port = element.closest('[port]');
        return { cell: id, port: port?.getAttribute('port') ?? null, group: port?.getAttribute('port-group') ?? null };
      }
    }
    return null;
  }

  lookup() {
    return {
      kindOf: (id) => this.graph.getCellById(id)?.getData()?.kind,
      hasEdge: (from, port, to) => this.graph.hasCell(`${from}|${port}|${to}`),
    };
  }

  showHint(text, keepMs = 0) {
    clearTimeout(this.hintTimer);
    if (!this.hint) {
      return;
    }
    this.hint.textContent = text ? `Cannot connect: ${text}` : '';
    this.hint.hidden = !text;
    if (text && keepMs > 0) {
      this.hintTimer = setTimeout(() => { this.hint.hidden = true; this.hint.textContent = ''; }, keepMs);
    }
  }

  patchTarget() {
    const graph = this.graph;
    return {
      removeCells: (ids) => graph.removeCells(ids.filter((id) => graph.hasCell(id))),
      addNodes: (metadata) => graph.addNodes(metadata),
      addEdges: (metadata) => graph.addEdges(metadata),
      nodeData: (id) => {
        const node = graph.getCellById(id);
        return node?.isNode() ? { ...node.getData(), ...node.getPosition() } : null;
      },
      updateNode: (id, metadata, changes) => {
        const node = graph.getCellById(id);
        if (changes.position) {
          node.setPosition(metadata.x, metadata.y);
        }
        if (changes.shape) {
          node.setData(metadata.data, { overwrite: true });
          node.setSize(metadata.width, metadata.height);
          node.setAttrs(metadata.attrs);
          node.prop('ports/items', metadata.ports.items, { rewrite: true });
        }
      },
    };
  }

  afterRender(callback) {
    // Rendering is synchronous (views exist when resetCells returns); wait for the frame that paints them.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (!this.disposed) {
        callback();
      }
    }));
  }

  send(method, value) {
    const json = JSON.stringify(value);
    if (json.length <= INLINE_LIMIT) {
      this.invoke(method, json);
    } else {
      this.invoke(`${method}Stream`, new TextEncoder().encode(json));
    }
  }

  invoke(method, ...args) {
    if (this.disposed) {
      return;
    }
    this.dotnet.invokeMethodAsync(method, ...args).catch(() => {
      // The circuit is gone (page left or connection lost): nothing to report to.
    });
  }
}

function encode(value) {
  return new TextEncoder().encode(JSON.stringify(value));
}

/**
 * Creates the designer in `host` (which holds .bos-designer-graph, .bos-designer-minimap and .bos-designer-hint).
 * Also exposed as window.blazorOsDesigner for browser tests and the console.
 */
export function createDesigner(host, dotnet, options) {
  const designer = new Designer(host, dotnet, options);
  window.blazorOsDesigner = designer;
  return designer;
}
