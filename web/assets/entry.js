// The bundle's entry: mermaid as a global for web/static/mermaid-init.js,
// which initialises it (strict security, no start on load).
import mermaid from 'mermaid';

globalThis.mermaid = mermaid;
