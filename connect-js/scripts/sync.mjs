// Copies the built script-tag form to where Keyline serves it, so platform-service never needs npm to build.
// The test "the script Keyline serves is this build" fails until this has been run after a change.
import { copyFileSync } from 'node:fs';

const from = new URL('../dist/embed.js', import.meta.url);
const to = new URL('../../platform-service/src/main/resources/META-INF/resources/connect/embed.js', import.meta.url);
copyFileSync(from, to);
console.log(`copied dist/embed.js to ${to.pathname}`);
