// Browser helpers the Blazor app imports through JS interop:
//   var module = await JS.InvokeAsync<IJSObjectReference>("import", "./dist/app.js");
// Bundled by build.mjs into src/BlazorOs.Web/wwwroot/dist/app.js (ES module).
import { downloadFileName, textBlobType } from './fileName.js';

/**
 * Saves `text` as a file through a temporary object URL and link (used to export JSON).
 * @param {string} fileName suggested name; sanitized, and given an extension from `mimeType` when it has none
 * @param {string} text file content
 * @param {string} [mimeType] defaults to application/json
 * @returns {string} the file name handed to the browser
 */
export function downloadText(fileName, text, mimeType = 'application/json') {
  const name = downloadFileName(fileName, mimeType);
  const blob = new Blob([text == null ? '' : String(text)], { type: textBlobType(mimeType) });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoking synchronously can cancel the download in some browsers; give it a moment.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return name;
}

/**
 * Copies `text` to the clipboard. Uses the async Clipboard API in secure contexts and falls back to a
 * hidden textarea + execCommand('copy') (plain-http deployments, older browsers, denied permission).
 * @param {string} text
 * @returns {Promise<boolean>} whether the copy succeeded
 */
export async function copyToClipboard(text) {
  const value = text == null ? '' : String(text);
  const clipboard = globalThis.navigator?.clipboard;
  if (clipboard && typeof clipboard.writeText === 'function' && globalThis.isSecureContext !== false) {
    try {
      await clipboard.writeText(value);
      return true;
    } catch {
      // Permission denied or document not focused: try the legacy path.
    }
  }
  return legacyCopy(value);
}

/**
 * Whether the operating system / browser asks for a dark color scheme.
 * @returns {boolean}
 */
export function prefersDarkMode() {
  return typeof globalThis.matchMedia === 'function'
    && globalThis.matchMedia('(prefers-color-scheme: dark)').matches === true;
}

function legacyCopy(value) {
  if (typeof document === 'undefined' || !document.body) {
    return false;
  }
  const active = document.activeElement;
  const selection = document.getSelection?.();
  const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
  const area = document.createElement('textarea');
  area.value = value;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  Object.assign(area.style, { position: 'fixed', top: '0', left: '0', opacity: '0', pointerEvents: 'none' });
  document.body.appendChild(area);
  let ok = false;
  try {
    area.select();
    ok = document.execCommand('copy') === true;
  } catch {
    ok = false;
  } finally {
    area.remove();
    if (range && selection) {
      selection.removeAllRanges();
      selection.addRange(range);
    }
    if (active && typeof active.focus === 'function') {
      active.focus();
    }
  }
  return ok;
}
