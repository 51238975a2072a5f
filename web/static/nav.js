// Getting around: keyboard shortcuts with a "?" overlay, the light/dark
// switch (the choice is remembered by theme.js), the filter of the wiki
// list and the copy buttons of the attachments page. Shortcuts follow the
// links on the page, so they never offer what the caller's role hides.
(function () {
  'use strict';

  // shortcuts: keys (space = a sequence), what they do, and how: a link to
  // follow (a CSS selector) or a function.
  var shortcuts = [
    {keys: '?', label: 'Show or hide this list', run: toggleHelp},
    {keys: '/', label: 'Search', run: focusSearch},
    {keys: 'e', label: 'Edit this page', link: '.actions a[href*="/-/edit/"]'},
    {keys: 'h', label: 'History of this page', link: '.actions a[href*="/-/history/"]'},
    {keys: 'a', label: 'Attachments of this page', link: '.actions a[href*="/-/attachments/"]'},
    {keys: 'n', label: 'New page', link: '.nav a[href$="/-/new"]'},
    {keys: 'g h', label: 'Go to the home page', link: '.top a.brand'},
    {keys: 'g c', label: 'Go to recent changes', link: '.nav a[href$="/-/changes"]'},
    {keys: 'g p', label: 'Go to all pages', link: '.nav a[href$="/-/pages"]'},
    {keys: 'g w', label: 'Go to the list of wikis', link: '.nav a.allwikis'},
    {keys: 't', label: 'Switch light and dark', run: toggleTheme}
  ];

  var pending = '';
  var help = null;

  // typing reports whether a key press belongs to a form field.
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || e.defaultPrevented) {
      return;
    }
    if (help && help.open && e.key !== '?') {
      return;
    }
    var seq = pending ? pending + ' ' + e.key : e.key;
    var found = shortcuts.filter(function (s) { return s.keys === seq; })[0];
    var prefix = shortcuts.some(function (s) { return s.keys.indexOf(seq + ' ') === 0; });
    pending = !found && prefix ? seq : '';
    if (!found) {
      if (prefix) {
        e.preventDefault();
      }
      return;
    }
    if (found.run) {
      e.preventDefault();
      found.run();
      return;
    }
    var a = document.querySelector(found.link);
    if (a) {
      e.preventDefault();
      window.location.assign(a.href);
    }
  });

  function focusSearch() {
    var box = document.querySelector('#warren-q, .search input, #warren-filter');
    if (box) {
      box.focus();
      box.select();
    }
  }

  // toggleHelp opens the overlay, built on first use from the list above.
  function toggleHelp() {
    if (!help) {
      help = buildHelp();
    }
    if (help.open) {
      help.close();
    } else {
      help.showModal();
    }
  }

  function buildHelp() {
    var d = document.createElement('dialog');
    d.id = 'warren-keys-help';
    d.className = 'keys';
    d.setAttribute('aria-labelledby', 'warren-keys-title');
    var h = document.createElement('h2');
    h.id = 'warren-keys-title';
    h.textContent = 'Keyboard shortcuts';
    var dl = document.createElement('dl');
    shortcuts.forEach(function (s) {
      var dt = document.createElement('dt');
      s.keys.split(' ').forEach(function (k, i) {
        if (i) {
          dt.appendChild(document.createTextNode(' then '));
        }
        var kbd = document.createElement('kbd');
        kbd.textContent = k;
        dt.appendChild(kbd);
      });
      var dd = document.createElement('dd');
      dd.textContent = s.label;
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    var extra = document.createElement('p');
    extra.className = 'muted';
    extra.textContent = 'In the editor: Ctrl-B bold, Ctrl-I italic, Ctrl-K link, Ctrl-Shift-K wiki link, Ctrl-S save.';
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Close';
    close.addEventListener('click', function () { d.close(); });
    d.appendChild(h);
    d.appendChild(dl);
    d.appendChild(extra);
    d.appendChild(close);
    document.body.appendChild(d);
    return d;
  }

  // theme is the scheme in use: the remembered choice, else the system's.
  function theme() {
    var t = document.documentElement.getAttribute('data-theme');
    if (t) {
      return t;
    }
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  function toggleTheme() {
    var next = theme() === 'dark' ? 'light' : 'dark';
    document.documentElement.setAttribute('data-theme', next);
    try {
      window.localStorage.setItem('warren-theme', next);
    } catch (e) {
      // Not remembered, but applied to this page.
    }
    labelTheme();
  }

  var themeBtn = document.getElementById('warren-theme');
  function labelTheme() {
    if (themeBtn) {
      var next = theme() === 'dark' ? 'Light' : 'Dark';
      themeBtn.textContent = next;
      themeBtn.setAttribute('aria-label', 'Switch to the ' + next.toLowerCase() + ' theme');
    }
  }
  if (themeBtn) {
    themeBtn.hidden = false;
    labelTheme();
    themeBtn.addEventListener('click', toggleTheme);
  }
  var keysBtn = document.getElementById('warren-keys');
  if (keysBtn) {
    keysBtn.hidden = false;
    keysBtn.addEventListener('click', toggleHelp);
  }

  setupFilter();
  setupCopy();

  // setupFilter narrows the wiki list as the user types.
  function setupFilter() {
    var box = document.getElementById('warren-filter');
    var rows = document.querySelectorAll('#warren-wikis tbody tr');
    var none = document.getElementById('warren-filter-none');
    var count = document.getElementById('warren-filter-count');
    if (!box || !rows.length) {
      return;
    }
    box.parentNode.hidden = false;
    box.addEventListener('input', function () {
      var t = box.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (r) {
        var hit = !t || r.textContent.toLowerCase().indexOf(t) >= 0;
        r.hidden = !hit;
        shown += hit ? 1 : 0;
      });
      none.hidden = shown > 0;
      count.textContent = t ? shown + ' of ' + rows.length : '';
    });
  }

  // setupCopy makes the Copy buttons put their snippet on the clipboard.
  function setupCopy() {
    document.querySelectorAll('button.copy[data-copy]').forEach(function (b) {
      b.hidden = false;
      b.addEventListener('click', function () {
        var text = b.getAttribute('data-copy');
        var done = function () { b.textContent = 'Copied'; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { b.textContent = 'Select and copy'; });
        } else {
          b.textContent = 'Select and copy';
        }
      });
    });
  }
})();
