// warren's theme, applied before the page paints so a dark page never
// flashes white. A choice made with the header's button is remembered in
// this browser (localStorage); without one the system's
// prefers-color-scheme decides (see warren.css). nav.js wires the button.
(function () {
  'use strict';
  try {
    var t = window.localStorage.getItem('warren-theme');
    if (t === 'light' || t === 'dark') {
      document.documentElement.setAttribute('data-theme', t);
    }
  } catch (e) {
    // Storage may be disabled; the system's choice then applies.
  }
})();
