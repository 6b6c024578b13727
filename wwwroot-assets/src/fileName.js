// Pure helpers for naming downloaded files. No DOM access here, so they run under `node --test`.

/** Characters Windows, macOS or Linux refuse (or treat specially) in a file name, plus ASCII control characters. */
// eslint-disable-next-line no-control-regex
const RESERVED = /[<>:"/\\|?*\u0000-\u001f\u007f]+/g;

/** Device names Windows reserves regardless of extension (CON, CON.txt, ...). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;

/** Longest name we hand to the browser; file systems allow 255 bytes, leave room for "(1)" suffixes. */
export const MAX_FILE_NAME_LENGTH = 120;

const EXTENSIONS = {
  'application/json': '.json',
  'application/ld+json': '.json',
  'application/x-ndjson': '.ndjson',
  'application/yaml': '.yaml',
  'application/x-yaml': '.yaml',
  'application/xml': '.xml',
  'text/csv': '.csv',
  'text/html': '.html',
  'text/markdown': '.md',
  'text/plain': '.txt',
  'text/xml': '.xml',
  'text/yaml': '.yaml',
};

/**
 * Turns any text into a file name every common OS accepts: each run of reserved or control characters becomes one "_",
 * whitespace collapses, leading dots and trailing dots/spaces go, Windows device names get a "_" prefix,
 * and overlong names are cut while keeping the extension. Returns `fallback` when nothing usable is left.
 * @param {unknown} name
 * @param {string} [fallback]
 * @returns {string}
 */
export function sanitizeFileName(name, fallback = 'download') {
  let s = typeof name === 'string' ? name : name == null ? '' : String(name);
  s = s.normalize('NFC')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (s === '' || /^_+$/.test(s)) {
    return fallback === '' ? 'download' : sanitizeFileName(fallback, 'download');
  }
  if (WINDOWS_DEVICE.test(s)) {
    s = `_${s}`;
  }
  return truncate(s, MAX_FILE_NAME_LENGTH);
}

/**
 * Appends the usual extension for `mimeType` when `fileName` has none ("playbook" + application/json ->
 * "playbook.json"). Names that already carry an extension, and unknown types, are returned unchanged.
 * @param {string} fileName
 * @param {string | undefined} mimeType
 * @returns {string}
 */
export function withDefaultExtension(fileName, mimeType) {
  const ext = EXTENSIONS[baseMimeType(mimeType)];
  if (!ext || /\.[A-Za-z0-9]{1,8}$/.test(fileName)) {
    return fileName;
  }
  return truncate(fileName, MAX_FILE_NAME_LENGTH - ext.length) + ext;
}

/**
 * The Blob type to use for a text download: textual types get `charset=utf-8` unless one is given.
 * @param {string | undefined} mimeType
 * @returns {string}
 */
export function textBlobType(mimeType) {
  const type = typeof mimeType === 'string' && mimeType.trim() !== '' ? mimeType.trim() : 'text/plain';
  if (/;\s*charset=/i.test(type)) {
    return type;
  }
  return `${type};charset=utf-8`;
}

/** The download name for `fileName`/`mimeType`: sanitized, with a default extension. */
export function downloadFileName(fileName, mimeType) {
  return withDefaultExtension(sanitizeFileName(fileName), baseMimeType(mimeType));
}

function baseMimeType(mimeType) {
  return typeof mimeType === 'string' ? mimeType.split(';', 1)[0].trim().toLowerCase() : '';
}

// Cuts by code point (never splitting a surrogate pair) and keeps a short extension when there is one.
function truncate(s, max) {
  const chars = Array.from(s);
  if (chars.length <= max) {
    return s;
  }
  const dot = s.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(s.slice(dot)) : [];
  if (ext.length > 1 && ext.length <= 10) {
    return chars.slice(0, max - ext.length).join('').replace(/[.\s]+$/, '') + ext.join('');
  }
  return chars.slice(0, max).join('').replace(/[.\s]+$/, '');
}
