// app.js touches browser globals only when called, so small fakes are enough to exercise it under Node.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { copyToClipboard, downloadText, prefersDarkMode } from '../src/app.js';

const restore = [];
function stubGlobal(name, value) {
  const previous = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  restore.push(() => (previous ? Object.defineProperty(globalThis, name, previous) : delete globalThis[name]));
}
afterEach(() => {
  while (restore.length > 0) restore.pop()();
});

function fakeDocument({ execCommandResult = true } = {}) {
  const doc = {
    appended: [],
    clicked: [],
    copied: null,
    activeElement: { focused: 0, focus() { this.focused += 1; } },
    body: {
      appendChild(el) { doc.appended.push(el); el.isConnected = true; return el; },
    },
    createElement(tag) {
      return {
        tag, style: {}, attributes: {}, isConnected: false, value: '',
        setAttribute(k, v) { this.attributes[k] = v; },
        click() { doc.clicked.push(this); },
        select() { doc.selected = this.value; },
        remove() { this.isConnected = false; },
      };
    },
    getSelection() { return { rangeCount: 0 }; },
    execCommand(cmd) {
      if (cmd === 'copy') doc.copied = doc.selected;
      return execCommandResult;
    },
  };
  return doc;
}

describe('downloadText', () => {
  it('clicks a temporary link to an object URL and cleans up', async () => {
    const doc = fakeDocument();
    stubGlobal('document', doc);
    const blobs = [];
    const revoked = [];
    stubGlobal('URL', Object.assign(function FakeUrl() {}, {
      createObjectURL(blob) { blobs.push(blob); return 'blob:test/1'; },
      revokeObjectURL(url) { revoked.push(url); },
    }));
    const timers = [];
    stubGlobal('setTimeout', (fn, ms) => { timers.push({ fn, ms }); return 0; });

    const name = downloadText('My playbook / v2', '{"a":1}', 'application/json');

    assert.equal(name, 'My playbook _ v2.json');
    assert.equal(doc.clicked.length, 1);
    const link = doc.clicked[0];
    assert.equal(link.tag, 'a');
    assert.equal(link.href, 'blob:test/1');
    assert.equal(link.download, 'My playbook _ v2.json');
    assert.equal(link.isConnected, false, 'link removed after click');
    assert.equal(blobs[0].type, 'application/json;charset=utf-8');
    assert.equal(await blobs[0].text(), '{"a":1}');
    assert.deepEqual(revoked, []);
    timers.forEach((t) => t.fn());
    assert.deepEqual(revoked, ['blob:test/1']);
  });
});

describe('copyToClipboard', () => {
  it('uses the async Clipboard API when available', async () => {
    let written = null;
    stubGlobal('navigator', { clipboard: { writeText: async (t) => { written = t; } } });
    stubGlobal('isSecureContext', true);
    assert.equal(await copyToClipboard('hello'), true);
    assert.equal(written, 'hello');
  });

  it('falls back to execCommand when the Clipboard API rejects', async () => {
    const doc = fakeDocument();
    stubGlobal('document', doc);
    stubGlobal('navigator', { clipboard: { writeText: async () => { throw new Error('NotAllowedError'); } } });
    stubGlobal('isSecureContext', true);
    assert.equal(await copyToClipboard('fallback text'), true);
    assert.equal(doc.copied, 'fallback text');
    assert.equal(doc.appended[0].isConnected, false, 'textarea removed');
    assert.equal(doc.activeElement.focused, 1, 'focus restored');
  });

  it('falls back outside secure contexts and reports failure', async () => {
    const doc = fakeDocument({ execCommandResult: false });
    stubGlobal('document', doc);
    stubGlobal('navigator', { clipboard: { writeText: async () => assert.fail('not in insecure context') } });
    stubGlobal('isSecureContext', false);
    assert.equal(await copyToClipboard(123), false);
    assert.equal(doc.copied, '123');
  });
});

describe('prefersDarkMode', () => {
  it('reads the prefers-color-scheme media query', () => {
    let query = null;
    stubGlobal('matchMedia', (q) => { query = q; return { matches: true }; });
    assert.equal(prefersDarkMode(), true);
    assert.equal(query, '(prefers-color-scheme: dark)');
    stubGlobal('matchMedia', () => ({ matches: false }));
    assert.equal(prefersDarkMode(), false);
  });

  it('is false without matchMedia', () => {
    stubGlobal('matchMedia', undefined);
    assert.equal(prefersDarkMode(), false);
  });
});
