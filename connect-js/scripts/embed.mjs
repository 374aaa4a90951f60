// Wraps the ESM build (dist/index.js) into the script-tag form (dist/embed.js): one IIFE that sets window.Keyline.
// src/index.ts has no imports, so dropping its `export` keywords is all the wrapping needs; anything else left
// over (an import, an export list) fails the build rather than ship a script that cannot run.
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const esm = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8');

const body = esm
  .replace(/^export (?=(const|let|function|class) )/gm, '')
  .replace(/^export \{\};?\s*$/gm, '')
  .trimEnd();
const leftover = body.match(/^\s*(import|export)\b.*$/m);
if (leftover) {
  throw new Error(`dist/index.js has a module statement the embed script cannot keep: ${leftover[0]}`);
}
const version = body.match(/^const VERSION = '([^']+)';$/m);
if (!version || version[1] !== pkg.version) {
  throw new Error(`VERSION in src/index.ts (${version && version[1]}) is not package.json's version (${pkg.version})`);
}

const indented = body.replace(/^(?=.)/gm, '  ');
const script = `/*! @keyline/connect ${pkg.version} | the script-tag form: sets window.Keyline */
(function () {
  'use strict';
  // Loaded twice (two tags, or the npm package beside the tag): the first one stays.
  if (window.Keyline && typeof window.Keyline.connect === 'function') return;
${indented}
  window.Keyline = Object.freeze({ connect: connect, version: VERSION });
})();
`;
writeFileSync(new URL('../dist/embed.js', import.meta.url), script);
