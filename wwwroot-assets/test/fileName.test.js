import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_FILE_NAME_LENGTH, downloadFileName, sanitizeFileName, textBlobType, withDefaultExtension,
} from '../src/fileName.js';

describe('sanitizeFileName', () => {
  it('keeps ordinary names', () => {
    assert.equal(sanitizeFileName('playbook-export.json'), 'playbook-export.json');
    assert.equal(sanitizeFileName('Rapport été 2026.json'), 'Rapport été 2026.json');
  });

  it('replaces path separators and reserved characters', () => {
    assert.equal(sanitizeFileName('../../etc/passwd'), '_.._etc_passwd');
    assert.equal(sanitizeFileName('a<b>c:d"e|f?g*h\\i'), 'a_b_c_d_e_f_g_h_i');
    assert.equal(sanitizeFileName('C:\\Users\\me\\run.json'), 'C_Users_me_run.json');
  });

  it('removes control characters and collapses whitespace', () => {
    assert.equal(sanitizeFileName('line\nbreak\ttab\u0000nul.txt'), 'line_break_tab_nul.txt');
    assert.equal(sanitizeFileName('  many    spaces  .json'), 'many spaces .json');
  });

  it('drops leading dots and trailing dots or spaces', () => {
    assert.equal(sanitizeFileName('.hidden'), 'hidden');
    assert.equal(sanitizeFileName('name. . '), 'name');
    assert.equal(sanitizeFileName('...'), 'download');
  });

  it('prefixes Windows device names', () => {
    assert.equal(sanitizeFileName('CON'), '_CON');
    assert.equal(sanitizeFileName('nul.json'), '_nul.json');
    assert.equal(sanitizeFileName('com1.txt'), '_com1.txt');
    assert.equal(sanitizeFileName('LPT\u00b9'), '_LPT\u00b9');
    assert.equal(sanitizeFileName('console.json'), 'console.json');
  });

  it('falls back for empty or non-string input', () => {
    assert.equal(sanitizeFileName(''), 'download');
    assert.equal(sanitizeFileName(null), 'download');
    assert.equal(sanitizeFileName(undefined, 'export'), 'export');
    assert.equal(sanitizeFileName('///', 'run.json'), 'run.json');
    assert.equal(sanitizeFileName('   ', '   '), 'download');
    assert.equal(sanitizeFileName(42), '42');
  });

  it('truncates long names, keeping the extension and whole code points', () => {
    const long = `${'x'.repeat(300)}.json`;
    const result = sanitizeFileName(long);
    assert.equal(result.length, MAX_FILE_NAME_LENGTH);
    assert.ok(result.endsWith('.json'));

    const emoji = '😀'.repeat(200);
    const cut = sanitizeFileName(emoji);
    assert.equal(Array.from(cut).length, MAX_FILE_NAME_LENGTH);
    assert.ok(cut.isWellFormed?.() ?? true);
  });
});

describe('withDefaultExtension', () => {
  it('adds the extension for known types', () => {
    assert.equal(withDefaultExtension('playbook', 'application/json'), 'playbook.json');
    assert.equal(withDefaultExtension('notes', 'text/markdown; charset=utf-8'), 'notes.md');
    assert.equal(withDefaultExtension('data', 'TEXT/CSV'), 'data.csv');
  });

  it('leaves names with an extension and unknown types alone', () => {
    assert.equal(withDefaultExtension('playbook.json', 'application/json'), 'playbook.json');
    assert.equal(withDefaultExtension('trace.ndjson', 'application/json'), 'trace.ndjson');
    assert.equal(withDefaultExtension('blob', 'application/octet-stream'), 'blob');
    assert.equal(withDefaultExtension('blob', undefined), 'blob');
  });

  it('stays within the length limit', () => {
    assert.equal(withDefaultExtension('y'.repeat(MAX_FILE_NAME_LENGTH), 'application/json').length, MAX_FILE_NAME_LENGTH);
  });
});

describe('textBlobType', () => {
  it('adds a UTF-8 charset unless one is given', () => {
    assert.equal(textBlobType('application/json'), 'application/json;charset=utf-8');
    assert.equal(textBlobType('text/plain; charset=iso-8859-1'), 'text/plain; charset=iso-8859-1');
    assert.equal(textBlobType(''), 'text/plain;charset=utf-8');
    assert.equal(textBlobType(undefined), 'text/plain;charset=utf-8');
  });
});

describe('downloadFileName', () => {
  it('sanitizes and adds an extension', () => {
    assert.equal(downloadFileName('Weekly report: sales/ops', 'application/json'), 'Weekly report_ sales_ops.json');
    assert.equal(downloadFileName('', 'application/json'), 'download.json');
  });
});
