// The editor's link picker (window.warrenPicker): a dialog that offers the
// wiki's pages (GET -/api/pages) and this page's attachments (GET
// -/api/pages/{page}/attachments) while the user types, and inserts a
// Markdown link, a [[wikilink]] or an image. A typed web address is taken
// as it is. "Upload a file…" hands files to upload.js.
(function () {
  'use strict';

  var form = document.getElementById('warren-editor');
  var ta = document.getElementById('warren-content');
  var dlg = document.getElementById('warren-picker');
  var T = window.warrenText;
  if (!form || !ta || !dlg || !T || typeof dlg.showModal !== 'function') {
    return;
  }
  var q = document.getElementById('warren-picker-q');
  var list = document.getElementById('warren-picker-list');
  var note = document.getElementById('warren-picker-note');
  var title = document.getElementById('warren-picker-title');
  var uploadBtn = document.getElementById('warren-picker-upload');
  var fileInput = document.getElementById('warren-picker-file');
  var api = form.getAttribute('data-api');
  var root = form.getAttribute('data-root');
  var page = form.getAttribute('data-page');
  var titles = {link: 'Insert a link', wikilink: 'Insert a wiki link', image: 'Insert an image'};

  var state = {mode: 'link', start: 0, end: 0, pages: [], files: [], more: false, items: [], active: -1, seq: 0};

  // escapePath escapes each segment of a page name for a URL, keeping "/";
  // parentheses too, so the address cannot end a Markdown link early.
  function escapePath(name) {
    return name.split('/').map(encodeURIComponent).join('/').replace(/\(/g, '%28').replace(/\)/g, '%29');
  }

  // humanSize writes a byte count as the attachments page does.
  function humanSize(n) {
    if (n < 1024) {
      return n + ' bytes';
    }
    return n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB';
  }

  function getJSON(url) {
    return fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(function (r) {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.json();
      });
  }

  // pageList reads the API's page list ({path, title}) as {name, title}.
  function pageList(d) {
    return (d.pages || []).map(function (p) { return {name: p.path, title: p.title}; });
  }

  // load fetches the page list and the attachments once per opening.
  function load() {
    var mine = ++state.seq;
    note.textContent = 'Loading…';
    var pages = getJSON(api + 'pages?limit=1000').then(function (d) {
      if (mine === state.seq) {
        state.pages = pageList(d);
        state.more = !!d.next;
      }
    });
    var files = getJSON(api + 'pages/' + escapePath(page) + '/attachments').then(function (d) {
      if (mine === state.seq) {
        state.files = d.attachments || [];
      }
    }, function () { state.files = []; });
    Promise.all([pages, files]).then(function () {
      if (mine === state.seq) {
        note.textContent = '';
        refresh();
      }
    }, function (err) {
      note.textContent = 'Could not load the pages: ' + err.message;
    });
  }

  // candidates are the entries matching the typed text, pages first.
  function candidates(text) {
    var t = text.trim().toLowerCase();
    var out = [];
    var match = function (s) { return s.toLowerCase().indexOf(t) >= 0; };
    if (state.mode !== 'image') {
      state.pages.forEach(function (p) {
        if (!t || match(p.name) || match(p.title || '')) {
          out.push({kind: 'page', label: p.title || p.name, detail: p.name, value: p});
        }
      });
    }
    if (state.mode !== 'wikilink') {
      state.files.forEach(function (f) {
        if ((state.mode !== 'image' || f.image) && (!t || match(f.name))) {
          out.push({kind: f.image ? 'image' : 'file', label: f.name, detail: humanSize(f.size), value: f});
        }
      });
    }
    return out.slice(0, 50);
  }

  // refresh redraws the list for the typed text.
  function refresh() {
    state.items = candidates(q.value);
    state.active = state.items.length ? 0 : -1;
    list.textContent = '';
    state.items.forEach(function (it, i) {
      var li = document.createElement('li');
      li.id = 'warren-pick-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === state.active));
      var kind = document.createElement('span');
      kind.className = 'kind muted';
      kind.textContent = it.kind;
      var label = document.createElement('span');
      label.textContent = it.label;
      li.appendChild(kind);
      li.appendChild(label);
      if (it.detail !== it.label) {
        var d = document.createElement('span');
        d.className = 'muted';
        d.textContent = it.detail;
        li.appendChild(d);
      }
      li.addEventListener('click', function () { pick(it); });
      list.appendChild(li);
    });
    q.setAttribute('aria-activedescendant', state.active >= 0 ? 'warren-pick-' + state.active : '');
    if (!state.items.length && q.value.trim()) {
      note.textContent = state.mode === 'wikilink' ? 'Enter links to the page “' + q.value.trim() + '”, even if it does not exist yet.'
        : 'Enter uses what you typed as the address.';
    } else if (note.textContent.indexOf('Loading') !== 0) {
      note.textContent = '';
    }
    if (state.more && q.value.trim()) {
      searchMore(q.value.trim());
    }
  }

  // searchMore asks the server for pages by prefix when the wiki has more
  // pages than the first list held.
  function searchMore(prefix) {
    getJSON(api + 'pages?limit=50&prefix=' + encodeURIComponent(prefix)).then(function (d) {
      var known = {};
      state.pages.forEach(function (p) { known[p.name] = true; });
      var added = pageList(d).filter(function (p) { return !known[p.name]; });
      if (added.length && q.value.trim() === prefix) {
        state.pages = state.pages.concat(added);
        state.more = false;
        refresh();
        state.more = true;
      }
    }, function () {});
  }

  function setActive(i) {
    if (!state.items.length) {
      return;
    }
    state.active = (i + state.items.length) % state.items.length;
    list.querySelectorAll('li').forEach(function (li, j) {
      li.setAttribute('aria-selected', String(j === state.active));
      if (j === state.active) {
        li.scrollIntoView({block: 'nearest'});
      }
    });
    q.setAttribute('aria-activedescendant', 'warren-pick-' + state.active);
  }

  // pick closes the dialog and writes the choice where the selection was.
  function pick(it) {
    dlg.close();
    ta.focus();
    ta.setSelectionRange(state.start, state.end);
    var sel = ta.value.slice(state.start, state.end);
    if (it.kind === 'page' && state.mode === 'wikilink') {
      T.insertAt(ta, '[[' + it.value.name + ']]');
    } else if (it.kind === 'page') {
      link(sel || it.label, root + escapePath(it.value.name), false);
    } else if (it.kind === 'address') {
      link(sel || (state.mode === 'image' ? 'image' : it.value), it.value.replace(/\(/g, '%28').replace(/\)/g, '%29'), state.mode === 'image');
    } else if (sel) {
      link(sel, it.value.url.replace(/\(/g, '%28').replace(/\)/g, '%29'), it.value.image && state.mode === 'image');
    } else {
      T.insertAt(ta, it.value.markdown);
    }
  }

  // link writes [text](url) or ![text](url), escaping brackets in text.
  function link(text, url, image) {
    var t = text.replace(/([\[\]\\])/g, '\\$1');
    T.insertAt(ta, (image ? '!' : '') + '[' + t + '](' + url + ')');
  }

  q.addEventListener('input', refresh);
  q.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(state.active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      var typed = q.value.trim();
      if (state.active >= 0) {
        pick(state.items[state.active]);
      } else if (typed && state.mode === 'wikilink') {
        pick({kind: 'page', value: {name: typed}});
      } else if (typed) {
        pick({kind: 'address', value: typed});
      }
    }
  });
  document.getElementById('warren-picker-cancel').addEventListener('click', function () { dlg.close(); });
  dlg.addEventListener('close', function () { state.seq++; });

  uploadBtn.addEventListener('click', function () { fileInput.click(); });
  fileInput.addEventListener('change', function () {
    var files = Array.prototype.slice.call(fileInput.files);
    fileInput.value = '';
    dlg.close();
    ta.focus();
    ta.setSelectionRange(state.start, state.end);
    if (files.length && window.warrenUpload) {
      window.warrenUpload.files(files, false);
    }
  });

  // open shows the picker for a mode: link, wikilink or image. Selected
  // text becomes the link's text (or, for a wikilink, the search).
  function open(mode) {
    state.mode = mode;
    state.start = ta.selectionStart;
    state.end = ta.selectionEnd;
    title.textContent = titles[mode] || titles.link;
    q.value = mode === 'wikilink' ? ta.value.slice(state.start, state.end).split('\n')[0] : '';
    uploadBtn.hidden = mode === 'wikilink' || !form.getAttribute('data-upload') || !window.warrenUpload;
    list.textContent = '';
    note.textContent = '';
    dlg.showModal();
    q.focus();
    load();
  }

  window.warrenPicker = {open: open};
})();
