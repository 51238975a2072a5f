// warren's only script. The Content-Security-Policy allows scripts from
// 'self' only, so everything interactive is wired here by element id; the
// pages work without it (preview is then rendered once by the server).
(function () {
  'use strict';

  var form = document.getElementById('warren-editor');
  if (form) {
    setupEditor(form);
  }

  function setupEditor(form) {
    var text = document.getElementById('warren-content');
    var pane = document.getElementById('warren-preview');
    var status = document.getElementById('warren-preview-status');
    var url = form.getAttribute('data-preview');
    var page = form.getAttribute('data-page') || '';
    var dirty = false;
    var leaving = false;
    var timer = 0;
    var seq = 0;

    function setStatus(s) {
      if (status) {
        status.textContent = s;
      }
    }

    // Render the text on the server with the wiki's own renderer. Only the
    // newest answer is shown, so a slow reply never overwrites a newer one.
    function preview() {
      if (!pane || !url) {
        return;
      }
      var mine = ++seq;
      var body = new URLSearchParams();
      body.set('content', text.value);
      body.set('page', page);
      setStatus('updating…');
      fetch(url, {method: 'POST', body: body, credentials: 'same-origin'})
        .then(function (r) {
          if (!r.ok) {
            throw new Error('preview failed: ' + r.status);
          }
          return r.text();
        })
        .then(function (html) {
          if (mine === seq) {
            // The fragment is sanitized by the server's renderer.
            pane.innerHTML = html;
            syncScroll();
            setStatus('');
          }
        })
        .catch(function (err) {
          if (mine === seq) {
            setStatus(err.message);
          }
        });
    }

    // Keep the preview at the same relative position as the text, so the
    // part being edited stays in view on long pages.
    function syncScroll() {
      if (!pane) {
        return;
      }
      var range = text.scrollHeight - text.clientHeight;
      var ratio = range > 0 ? text.scrollTop / range : 0;
      pane.scrollTop = ratio * (pane.scrollHeight - pane.clientHeight);
    }
    text.addEventListener('scroll', syncScroll);

    // Keep the text on the server a few seconds after the last keystroke,
    // so a closed tab or a lost connection loses nothing.
    var draftURL = form.getAttribute('data-draft');
    var draftTimer = 0;
    function saveDraft() {
      if (!draftURL || leaving) {
        return;
      }
      var body = new URLSearchParams();
      body.set('content', text.value);
      var base = form.querySelector('input[name=base_revision]');
      body.set('base_revision', base ? base.value : '');
      fetch(draftURL, {method: 'POST', body: body, credentials: 'same-origin'})
        .then(function (r) {
          if (r.ok && !leaving) {
            setStatus('draft kept');
          }
        })
        .catch(function () {});
    }

    text.addEventListener('input', function () {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, 300);
      window.clearTimeout(draftTimer);
      draftTimer = window.setTimeout(saveDraft, 5000);
    });

    form.addEventListener('submit', function () {
      leaving = true;
      window.clearTimeout(draftTimer);
    });

    // Ctrl-S / Cmd-S saves instead of saving the HTML page.
    document.addEventListener('keydown', function (e) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        leaving = true;
        window.clearTimeout(draftTimer);
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }
    });

    // Warn before leaving with unsaved changes.
    window.addEventListener('beforeunload', function (e) {
      if (dirty && !leaving) {
        e.preventDefault();
        e.returnValue = '';
      }
    });
  }
})();
