import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runInThisContext } from 'node:vm';
import { VERSION } from '../src/index.js';
import { installPage } from './fake-dom.js';

// Compiled to dist-test/test/: the package is two levels up.
const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
const embed = readFileSync(new URL('dist/embed.js', root));
const served = new URL('../platform-service/src/main/resources/META-INF/resources/connect/embed.js', root);

describe('the script-tag form', () => {
  it("carries the package's version, where Keyline reads it for the versioned URL", () => {
    assert.equal(VERSION, pkg.version);
    assert.ok(embed.toString('utf8').startsWith(`/*! @keyline/connect ${pkg.version} `));
  });

  it('sets a frozen window.Keyline whose connect works, and a second copy leaves the first', async () => {
    const page = installPage();
    runInThisContext(embed.toString('utf8'));
    const keyline = page.window.Keyline;
    assert.ok(Object.isFrozen(keyline));
    assert.equal(keyline.version, pkg.version);
    runInThisContext(embed.toString('utf8'));
    assert.equal(page.window.Keyline, keyline);

    const events: { type: string; code?: string; fatal?: boolean }[] = [];
    const handle = keyline.connect({
      url: 'https://keyline.example.test/connect/ui/x',
      token: 'kcs_t',
      loadTimeout: 10,
      onEvent: (e: { type: string }) => events.push(e),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    handle.close();
    assert.deepEqual(events.map((e) => [e.type, e.code, e.fatal]), [
      ['error', 'load_failed', true],
      ['close', undefined, undefined],
    ]);
    assert.throws(() => keyline.connect({ url: 'x' }), TypeError);
  });

  it('is byte for byte the script Keyline serves (run `npm run sync` after a change)', () => {
    assert.ok(readFileSync(served).equals(embed), `${served.pathname} differs from dist/embed.js: run npm run sync`);
  });
});
