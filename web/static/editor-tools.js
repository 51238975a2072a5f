// The editor's toolbar, its keyboard shortcuts (Ctrl-B, Ctrl-I, Ctrl-K,
// Ctrl-Shift-K) and the Write/Preview tabs of narrow screens. Text changes
// go through window.warrenText (editor-text.js); links and images open the
// picker of editor-picker.js.
(function () {
  'use strict';

  var form = document.getElementById('warren-editor');
  var ta = document.getElementById('warren-content');
  var T = window.warrenText;
  if (!form || !ta || !T) {
    return;
  }

  var table = '| Column | Column |\n|--------|--------|\n| Cell   | Cell   |\n';

  // openPicker asks editor-picker.js for a page, file or address; without
  // it, a link is written with a placeholder address.
  function openPicker(mode) {
    if (window.warrenPicker) {
      window.warrenPicker.open(mode);
    } else if (mode === 'wikilink') {
      T.wrap(ta, '[[', ']]', 'Page');
    } else {
      T.wrap(ta, mode === 'image' ? '![' : '[', '](https://)', 'text');
    }
  }

  // code makes an inline code span, or a fenced block for whole lines.
  function code() {
    var sel = ta.value.slice(ta.selectionStart, ta.selectionEnd);
    if (sel.indexOf('\n') >= 0 || sel === '' && atLineStart()) {
      var body = sel.replace(/\n$/, '') || 'code';
      T.insertBlock(ta, '```\n' + body + '\n```', 4, 4 + body.length);
    } else {
      T.wrap(ta, '`', '`', 'code');
    }
  }

  // atLineStart reports whether the cursor starts an empty line.
  function atLineStart() {
    var s = ta.selectionStart, v = ta.value;
    return (s === 0 || v[s - 1] === '\n') && (s === v.length || v[s] === '\n');
  }

  var commands = {
    bold: function () { T.wrap(ta, '**', '**', 'bold text'); },
    italic: function () { T.wrap(ta, '_', '_', 'italic text'); },
    heading: function () { T.prefixLines(ta, '## ', /^#{1,6}\s+/); },
    link: function () { openPicker('link'); },
    wikilink: function () { openPicker('wikilink'); },
    list: function () { T.prefixLines(ta, '- ', /^([-*+]|\d+\.)\s+(\[[ xX]\]\s+)?/); },
    task: function () { T.prefixLines(ta, '- [ ] ', /^([-*+]|\d+\.)\s+(\[[ xX]\]\s+)?/); },
    quote: function () { T.prefixLines(ta, '> ', null); },
    code: code,
    table: function () { T.insertBlock(ta, table, 2, 8); },
    image: function () { openPicker('image'); }
  };

  // run performs a toolbar command by name; the textarea keeps the focus.
  function run(name) {
    var fn = commands[name];
    if (fn) {
      fn();
    }
  }

  var bar = document.getElementById('warren-toolbar');
  if (bar) {
    bar.hidden = false;
    // mousedown would move the focus away from the textarea and lose the
    // selection on some browsers; keep it where it is.
    bar.addEventListener('mousedown', function (e) {
      if (e.target.closest('button')) {
        e.preventDefault();
      }
    });
    bar.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-cmd]');
      if (b) {
        run(b.getAttribute('data-cmd'));
      }
    });
  }

  var keys = {b: 'bold', i: 'italic', k: 'link'};
  ta.addEventListener('keydown', function (e) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) {
      return;
    }
    var k = e.key.toLowerCase();
    var name = e.shiftKey ? (k === 'k' ? 'wikilink' : '') : keys[k];
    if (name) {
      e.preventDefault();
      run(name);
    }
  });

  setupTabs();

  // setupTabs shows Write and Preview as tabs where the panes would stack
  // (CSS decides when); wide screens keep both side by side.
  function setupTabs() {
    var tabs = form.querySelector('.editor-tabs');
    if (!tabs) {
      return;
    }
    tabs.hidden = false;
    form.setAttribute('data-tab', 'write');
    tabs.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-tab]');
      if (!b) {
        return;
      }
      var which = b.getAttribute('data-tab');
      form.setAttribute('data-tab', which);
      tabs.querySelectorAll('button[data-tab]').forEach(function (t) {
        t.setAttribute('aria-selected', String(t === b));
      });
      if (which === 'write') {
        ta.focus();
      }
    });
  }

  window.warrenEditor = {run: run};
})();
