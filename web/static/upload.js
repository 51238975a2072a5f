// Uploads with progress: files pasted into or dropped onto the editor
// become attachments of the page and their Markdown appears at the cursor
// (window.warrenUpload); the attachments page sends each chosen file in its
// own request, so each may be as large as the server allows. Both post to
// the page's attachments route asking for JSON; it is a same-origin POST,
// which the server's cross-origin protection lets through.
(function () {
  'use strict';

  // send posts one file and reports progress (0..1); resolves with the
  // server's description of the stored file.
  function send(url, file, name, message, progress) {
    return new Promise(function (resolve, reject) {
      var body = new FormData();
      body.append('file', file, name);
      if (message) {
        body.append('message', message);
      }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) {
          progress(e.loaded / e.total);
        }
      });
      xhr.addEventListener('load', function () {
        var data = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch (e) {
          data = null;
        }
        if (xhr.status === 200 && data && data.files && data.files.length) {
          resolve(data.files[0]);
        } else {
          reject(new Error(data && data.error ? data.error.message : 'upload failed (' + xhr.status + ')'));
        }
      });
      xhr.addEventListener('error', function () { reject(new Error('the connection failed')); });
      xhr.send(body);
    });
  }

  // pastedName names a pasted image by the time, since the clipboard calls
  // every image "image.png" and a second paste must not replace the first.
  function pastedName(file, i) {
    var ext = (file.type.split('/')[1] || 'png').replace('jpeg', 'jpg').replace(/[^a-z0-9]/g, '');
    var d = new Date();
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return 'pasted-' + d.getFullYear() + pad(d.getMonth() + 1) + pad(d.getDate()) + '-' +
      pad(d.getHours()) + pad(d.getMinutes()) + pad(d.getSeconds()) + (i ? '-' + (i + 1) : '') + '.' + ext;
  }

  setupEditor();
  setupAttachmentsPage();

  function setupEditor() {
    var form = document.getElementById('warren-editor');
    var ta = document.getElementById('warren-content');
    var box = document.getElementById('warren-upload');
    var T = window.warrenText;
    if (!form || !ta || !box || !T) {
      return;
    }
    var url = form.getAttribute('data-upload');
    var bar = box.querySelector('progress');
    var text = box.querySelector('.upload-text');
    var queue = Promise.resolve();

    function show(msg, value, isError) {
      box.hidden = false;
      box.classList.toggle('error', !!isError);
      bar.hidden = value === null;
      if (value !== null) {
        bar.value = Math.round(value * 100);
      }
      text.textContent = msg;
    }

    // swap replaces a placeholder with its final text and keeps the user's
    // cursor where it was relative to the text around it.
    function swap(token, final) {
      var i = ta.value.indexOf(token);
      if (i < 0) {
        return;
      }
      var s = ta.selectionStart, e = ta.selectionEnd, delta = final.length - token.length;
      var focused = document.activeElement === ta;
      T.replace(ta, i, i + token.length, final);
      var fix = function (p) { return p >= i + token.length ? p + delta : Math.min(p, i + final.length); };
      ta.setSelectionRange(fix(s), fix(e));
      if (!focused) {
        ta.blur();
      }
    }

    // files uploads one after another, each announced by a placeholder at
    // the cursor that its Markdown replaces when the server has stored it.
    function files(list, pasted) {
      if (!url) {
        show('Save the page once before attaching files to it.', null, true);
        return;
      }
      list.forEach(function (file, i) {
        var name = pasted && /^image\.\w+$/.test(file.name || 'image.png') ? pastedName(file, i) : file.name;
        var token = '[Uploading ' + name + '…]';
        T.insertAt(ta, token + (list.length > 1 ? '\n' : ''));
        queue = queue.then(function () {
          show('Uploading ' + name + '…', 0);
          return send(url, file, name, '', function (p) { show('Uploading ' + name + '…', p); })
            .then(function (f) {
              swap(token, f.markdown);
              show('Attached ' + f.name + '.', 1);
            }, function (err) {
              swap(token, '');
              show(name + ': ' + err.message, null, true);
            });
        });
      });
    }

    function filesOf(dt) {
      return dt && dt.files ? Array.prototype.slice.call(dt.files) : [];
    }

    ta.addEventListener('paste', function (e) {
      var list = filesOf(e.clipboardData);
      if (list.length) {
        e.preventDefault();
        files(list, true);
      }
    });
    ta.addEventListener('dragover', function (e) {
      if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, 'Files') >= 0) {
        e.preventDefault();
        ta.classList.add('dropping');
      }
    });
    ta.addEventListener('dragleave', function () { ta.classList.remove('dropping'); });
    ta.addEventListener('drop', function (e) {
      ta.classList.remove('dropping');
      var list = filesOf(e.dataTransfer);
      if (list.length) {
        e.preventDefault();
        ta.focus();
        files(list, false);
      }
    });

    window.warrenUpload = {files: files};
  }

  // setupAttachmentsPage sends the chosen files one request each, with a
  // progress bar per file, then reloads the list.
  function setupAttachmentsPage() {
    var form = document.getElementById('warren-upload-form');
    var out = document.getElementById('warren-upload-list');
    if (!form || !out) {
      return;
    }
    form.addEventListener('submit', function (e) {
      var input = form.querySelector('input[type=file]');
      var list = Array.prototype.slice.call(input.files || []);
      if (!list.length) {
        return;
      }
      e.preventDefault();
      var rename = form.querySelector('input[name=name]').value.trim();
      var message = form.querySelector('input[name=message]').value.trim();
      if (rename && list.length > 1) {
        out.textContent = '';
        addRow(out, '“Save as” names one file; clear it to upload several.').status.className = 'error';
        return;
      }
      out.textContent = '';
      var failed = 0;
      var chain = Promise.resolve();
      list.forEach(function (file) {
        var name = rename || file.name;
        var row = addRow(out, name);
        chain = chain.then(function () {
          return send(form.action, file, name, message, function (p) { row.bar.value = Math.round(p * 100); })
            .then(function () {
              row.bar.value = 100;
              row.status.textContent = 'stored';
            }, function (err) {
              failed++;
              row.status.textContent = err.message;
              row.status.className = 'error';
            });
        });
      });
      chain.then(function () {
        if (!failed) {
          window.location.assign(form.action);
        }
      });
    });
  }

  // addRow adds one file's line with a progress bar to the upload list.
  function addRow(out, name) {
    var li = document.createElement('li');
    var n = document.createElement('span');
    n.className = 'name';
    n.textContent = name;
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    var status = document.createElement('span');
    li.appendChild(n);
    li.appendChild(bar);
    li.appendChild(status);
    out.appendChild(li);
    return {bar: bar, status: status};
  }
})();
