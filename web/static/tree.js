// The sidebar's page tree: a closed folder is filled from the wiki's
// /-/api/tree the first time it is opened, so a wiki of any size loads
// only the folders someone looks at. The server renders the folders down
// to the current page; without script, a closed folder links its index.
(function () {
  'use strict';

  var nav = document.querySelector('nav.tree[data-tree]');
  if (!nav) {
    return;
  }
  var api = nav.getAttribute('data-tree');
  var root = nav.getAttribute('data-root');

  // pageURL escapes each segment of a page name and keeps the slashes.
  function pageURL(path) {
    return root + path.split('/').map(encodeURIComponent).join('/');
  }

  function indexURL(dir) {
    return root + '-/pages?prefix=' + encodeURIComponent(dir + '/');
  }

  function pageLink(e) {
    var a = document.createElement('a');
    a.href = pageURL(e.path);
    a.textContent = e.name;
    if (e.title && e.title !== e.name) {
      a.title = e.title;
    }
    return a;
  }

  // entryItem builds one child: a page link, or a closed folder to fill later.
  function entryItem(e) {
    var li = document.createElement('li');
    if (!e.folder) {
      li.appendChild(pageLink(e));
      return li;
    }
    var details = document.createElement('details');
    details.setAttribute('data-dir', e.path);
    var summary = document.createElement('summary');
    if (e.page) {
      summary.appendChild(pageLink(e));
    } else {
      var span = document.createElement('span');
      span.className = 'folder';
      span.textContent = e.name;
      summary.appendChild(span);
    }
    var ul = document.createElement('ul');
    ul.setAttribute('data-lazy', '');
    details.appendChild(summary);
    details.appendChild(ul);
    li.appendChild(details);
    return li;
  }

  function fill(details, ul) {
    var dir = details.getAttribute('data-dir');
    ul.removeAttribute('data-lazy');
    ul.setAttribute('aria-busy', 'true');
    fetch(api + '?dir=' + encodeURIComponent(dir), {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(function (r) {
        if (!r.ok) {
          throw new Error('tree: ' + r.status);
        }
        return r.json();
      })
      .then(function (data) {
        ul.textContent = '';
        data.entries.forEach(function (e) {
          ul.appendChild(entryItem(e));
        });
        if (data.more) {
          var li = document.createElement('li');
          var a = document.createElement('a');
          a.className = 'more';
          a.href = indexURL(dir);
          a.textContent = 'More…';
          li.appendChild(a);
          ul.appendChild(li);
        }
      })
      .catch(function () {
        ul.setAttribute('data-lazy', ''); // keep the index link; try again next time
      })
      .finally(function () {
        ul.removeAttribute('aria-busy');
      });
  }

  // toggle does not bubble, so listen in the capture phase.
  nav.addEventListener('toggle', function (ev) {
    var details = ev.target;
    if (!details.open || details.tagName !== 'DETAILS') {
      return;
    }
    var ul = details.querySelector(':scope > ul[data-lazy]');
    if (ul) {
      fill(details, ul);
    }
  }, true);
})();
