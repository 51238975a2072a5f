// Text operations of the editor on the plain <textarea>, shared by the
// toolbar, the link picker and uploads (window.warrenText). Every change
// goes through the browser's own editing command where it exists, so undo
// (Ctrl-Z) takes it back and the textarea's input event runs the preview
// and draft timers of warren.js as if it had been typed.
(function () {
  'use strict';

  // replace puts text in place of [start, end) and selects [selStart,
  // selEnd) afterwards, as absolute offsets in the new value.
  function replace(ta, start, end, text, selStart, selEnd) {
    ta.focus();
    ta.setSelectionRange(start, end);
    var done = false;
    try {
      done = document.execCommand('insertText', false, text);
    } catch (e) {
      done = false;
    }
    if (!done || ta.value.slice(start, start + text.length) !== text) {
      ta.setRangeText(text, start, end, 'end');
      ta.dispatchEvent(new Event('input', {bubbles: true}));
    }
    if (selStart === undefined) {
      selStart = selEnd = start + text.length;
    }
    ta.setSelectionRange(selStart, selEnd === undefined ? selStart : selEnd);
  }

  // wrap surrounds the selection with before and after, or removes them if
  // they are already there; with nothing selected it inserts placeholder,
  // selected, so typing replaces it.
  function wrap(ta, before, after, placeholder) {
    var s = ta.selectionStart, e = ta.selectionEnd, v = ta.value;
    var sel = v.slice(s, e);
    if (v.slice(s - before.length, s) === before && v.slice(e, e + after.length) === after) {
      replace(ta, s - before.length, e + after.length, sel, s - before.length, e - before.length);
      return;
    }
    if (sel.length > before.length + after.length && sel.indexOf(before) === 0 &&
        sel.slice(sel.length - after.length) === after) {
      var inner = sel.slice(before.length, sel.length - after.length);
      replace(ta, s, e, inner, s, s + inner.length);
      return;
    }
    var text = sel || placeholder;
    replace(ta, s, e, before + text + after, s + before.length, s + before.length + text.length);
  }

  // lineRange widens the selection to whole lines.
  function lineRange(ta) {
    var v = ta.value;
    var s = v.lastIndexOf('\n', ta.selectionStart - 1) + 1;
    var e = ta.selectionEnd;
    if (e > s && v[e - 1] === '\n') {
      e--;
    }
    var nl = v.indexOf('\n', e);
    return {start: s, end: nl < 0 ? v.length : nl};
  }

  // prefixLines toggles a prefix ("- ", "> ", "## ") on every selected
  // line: removed if all lines have it, added to all otherwise. pattern
  // matches any existing prefix of the same family, which is replaced.
  function prefixLines(ta, prefix, pattern) {
    var r = lineRange(ta);
    var lines = ta.value.slice(r.start, r.end).split('\n');
    var all = lines.every(function (l) { return l.indexOf(prefix) === 0 || l.trim() === ''; });
    var out = lines.map(function (l) {
      if (all) {
        return l.indexOf(prefix) === 0 ? l.slice(prefix.length) : l;
      }
      if (l.trim() === '' && lines.length > 1) {
        return l;
      }
      return prefix + (pattern ? l.replace(pattern, '') : l);
    }).join('\n');
    replace(ta, r.start, r.end, out, r.start, r.start + out.length);
  }

  // insertBlock inserts text as its own paragraph at the cursor, with blank
  // lines around it, and selects the part between selFrom and selTo of it.
  function insertBlock(ta, text, selFrom, selTo) {
    var v = ta.value, s = ta.selectionStart, e = ta.selectionEnd;
    var before = v.slice(0, s);
    var pre = before === '' || /\n\n$/.test(before) ? '' : /\n$/.test(before) ? '\n' : '\n\n';
    var post = /^\n/.test(v.slice(e)) ? '\n' : '\n\n';
    if (v.slice(e) === '') {
      post = '\n';
    }
    var at = s + pre.length;
    replace(ta, s, e, pre + text + post, at + (selFrom || 0), at + (selTo === undefined ? text.length : selTo));
  }

  // insertAt puts text at the cursor (replacing the selection).
  function insertAt(ta, text) {
    replace(ta, ta.selectionStart, ta.selectionEnd, text);
  }

  window.warrenText = {
    replace: replace, wrap: wrap, prefixLines: prefixLines,
    insertBlock: insertBlock, insertAt: insertAt
  };
})();
