// Adds a "Copy" button to every code block of a page. The page view loads
// this file; without script the code is selectable as usual.
(function () {
  'use strict';

  var blocks = document.querySelectorAll('.markdown pre:not(.mermaid)');
  for (var i = 0; i < blocks.length; i++) {
    addButton(blocks[i]);
  }

  function addButton(pre) {
    var code = pre.querySelector('code') || pre;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'code-copy';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code to clipboard');
    button.addEventListener('click', function () {
      copy(codeText(code)).then(function () {
        flash(button, 'Copied');
      }, function () {
        flash(button, 'Copy failed');
      });
    });
    pre.classList.add('has-copy');
    pre.insertBefore(button, pre.firstChild);
  }

  // The code without line numbers (chroma puts them in .ln / .lnt cells).
  function codeText(code) {
    var clone = code.cloneNode(true);
    var numbers = clone.querySelectorAll('.ln, .lnt');
    for (var i = 0; i < numbers.length; i++) {
      numbers[i].remove();
    }
    return clone.textContent;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return Promise.reject(new Error('clipboard unavailable'));
  }

  function flash(button, label) {
    button.textContent = label;
    setTimeout(function () {
      button.textContent = 'Copy';
    }, 1500);
  }
})();
