// Draws the page's Mermaid diagrams. The page view loads this file, after
// mermaid.min.js, only when the page's HTML contains <pre class="mermaid">;
// without script the reader sees each diagram's source.
//
// securityLevel 'strict' makes mermaid drop click handlers and sanitise
// labels; htmlLabels false draws labels as SVG text, so a diagram's text
// never becomes markup at all.
(function () {
  'use strict';

  var mermaid = window.mermaid;
  var blocks = document.querySelectorAll('.markdown pre.mermaid');
  if (!mermaid || blocks.length === 0) {
    return;
  }
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: dark ? 'dark' : 'default',
    htmlLabels: false,
    flowchart: {htmlLabels: false},
    // Bounds on what one diagram may ask of the reader's browser.
    maxTextSize: 100000,
    maxEdges: 2000
  });
  mermaid.run({nodes: blocks, suppressErrors: true});
})();
