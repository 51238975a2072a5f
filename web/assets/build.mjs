// Bundles mermaid into one minified, self-contained file (no CDN, no
// chunks: esbuild inlines mermaid's lazy diagram imports) that the
// Content-Security-Policy "script-src 'self'" allows.
import { build } from 'esbuild';

await build({
  entryPoints: ['entry.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'eof',
  outfile: '../static/mermaid.min.js',
  logLevel: 'info',
});
