import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { connect, type ConnectEvent, type ConnectHandle, type ConnectOptions } from '../src/index.js';
import { type FakeElement, type FakeWindow, installPage, type Page } from './fake-dom.js';

const KEYLINE = 'https://keyline.example.test';
const URL_ = KEYLINE + '/connect/ui/5f0c2d3e-1111-4222-8333-944445555666';
const TOKEN = 'kcs_test_token';

let page: Page;
let events: ConnectEvent[];
let handle: ConnectHandle | null;

function open(options: Partial<ConnectOptions> = {}): ConnectHandle {
  handle = connect({ url: URL_, token: TOKEN, onEvent: (e) => events.push(e), ...options });
  return handle;
}

function overlay(): FakeElement | undefined {
  return page.document.withAttribute('data-keyline-connect')[0];
}

function frameWindow(): FakeWindow {
  const frame = overlay()?.all().find((e) => e.tagName === 'IFRAME');
  assert.ok(frame && frame.contentWindow, 'an iframe in the overlay');
  return frame.contentWindow;
}

function button(label: string): FakeElement {
  const found = overlay()
    ?.all()
    .find((e) => e.tagName === 'BUTTON' && (e.getAttribute('aria-label') === label || e.textContent === label));
  assert.ok(found, `a button "${label}" in the overlay`);
  return found;
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

beforeEach(() => {
  page = installPage();
  events = [];
  handle = null;
});

afterEach(() => {
  handle?.close();
});

describe('options', () => {
  const refused: [string, unknown, RegExp][] = [
    ['no options', undefined, /needs an options object/],
    ['no url', { token: TOKEN }, /url must be the connect_url/],
    ['an empty url', { url: '', token: TOKEN }, /url must be the connect_url/],
    ['no token', { url: URL_ }, /token must be the token of a connect session/],
    ['a token that is not a string', { url: URL_, token: 42 }, /token must be/],
    ['a javascript: url', { url: 'javascript:alert(1)', token: TOKEN }, /url must be an http\(s\) address/],
    ['an unknown mode', { url: URL_, token: TOKEN, mode: 'modal' }, /mode must be 'overlay' or 'popup'/],
    ['a locale that is no language tag', { url: URL_, token: TOKEN, locale: 'de_DE!' }, /locale must be a language tag/],
    ['a locale that is not a string', { url: URL_, token: TOKEN, locale: 7 }, /locale must be a language tag/],
    ['an onEvent that is no function', { url: URL_, token: TOKEN, onEvent: 'log' }, /onEvent must be a function/],
    ['a zero loadTimeout', { url: URL_, token: TOKEN, loadTimeout: 0 }, /loadTimeout must be a positive number/],
    ['a loadTimeout in a string', { url: URL_, token: TOKEN, loadTimeout: '500' }, /loadTimeout must be/],
    ['an infinite loadTimeout', { url: URL_, token: TOKEN, loadTimeout: Infinity }, /loadTimeout must be/],
  ];
  for (const [what, options, message] of refused) {
    it(`refuses ${what} with a TypeError naming the option, before showing anything`, () => {
      assert.throws(() => connect(options as ConnectOptions), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, message);
        return true;
      });
      assert.equal(overlay(), undefined);
      assert.equal(page.window.count('message'), 0);
    });
  }

  it('accepts a relative url, resolved against the page', () => {
    open({ url: '/connect/ui/abc' });
    const frame = overlay()?.all().find((e) => e.tagName === 'IFRAME');
    assert.equal(frame?.src, 'https://app.acme.test/connect/ui/abc');
  });
});

describe('overlay', () => {
  it('hands the token and the locale to the page when it is ready, addressed to Keyline only', () => {
    open({ locale: 'de-CH' });
    const frame = frameWindow();
    assert.equal(frame.posted.length, 0, 'nothing before the page asks');

    page.message(frame, KEYLINE, { source: 'keyline-connect', type: 'ready' });

    assert.deepEqual(frame.posted, [
      { message: { source: 'keyline-host', type: 'token', token: TOKEN, locale: 'de-CH' }, targetOrigin: KEYLINE },
    ]);
    assert.deepEqual(events, [{ type: 'ready' }]);
  });

  it('sends no locale when none was given', () => {
    open();
    page.message(frameWindow(), KEYLINE, { source: 'keyline-connect', type: 'ready' });
    assert.deepEqual(frameWindow().posted[0]?.message, { source: 'keyline-host', type: 'token', token: TOKEN });
  });

  it('ignores messages from another origin or another window', () => {
    open();
    const frame = frameWindow();
    page.message(frame, 'https://evil.example', { source: 'keyline-connect', type: 'ready' });
    page.message(new (frame.constructor as new () => FakeWindow)(), KEYLINE, { source: 'keyline-connect', type: 'close' });
    page.message(frame, KEYLINE, { source: 'something-else', type: 'close' });
    assert.equal(frame.posted.length, 0);
    assert.deepEqual(events, []);
    assert.ok(overlay());
  });

  it("keeps the page's fatal on its errors, false when the page leaves it out", () => {
    open();
    const frame = frameWindow();
    page.message(frame, KEYLINE, { source: 'keyline-connect', type: 'ready' });
    page.message(frame, KEYLINE, { source: 'keyline-connect', type: 'error', code: 'session_expired', message: 'Expired', fatal: true });
    page.message(frame, KEYLINE, { source: 'keyline-connect', type: 'error', code: 'invalid_credentials', message: 'Wrong token' });
    page.message(frame, KEYLINE, { source: 'keyline-connect', type: 'success', account_id: 'acc_1', provider: 'okta' });

    assert.deepEqual(events.slice(1), [
      { type: 'error', code: 'session_expired', message: 'Expired', fatal: true },
      { type: 'error', code: 'invalid_credentials', message: 'Wrong token', fatal: false },
      { type: 'success', account_id: 'acc_1', provider: 'okta' },
    ]);
  });

  it('shows its own close button until the page is ready, then leaves closing to the page', () => {
    open();
    const close = button('Close');
    assert.equal(page.document.activeElement, close, 'focus moves into the dialog at once');
    page.message(frameWindow(), KEYLINE, { source: 'keyline-connect', type: 'ready' });
    assert.equal(close.parentNode, null);
  });

  it('makes the rest of the page inert while open, and gives back exactly what it took', () => {
    const app = page.document.body.appendChild(page.document.createElement('main'));
    const alreadyInert = page.document.body.appendChild(page.document.createElement('aside'));
    alreadyInert.setAttribute('inert', '');
    open();
    assert.ok(app.hasAttribute('inert'));
    assert.ok(!overlay()?.hasAttribute('inert'));

    handle?.close();
    assert.ok(!app.hasAttribute('inert'));
    assert.ok(alreadyInert.hasAttribute('inert'), 'the host made it inert, not us');
  });

  it('sends Tab round from either end of the dialog, and focus from the page behind back in', () => {
    const behind = page.document.body.appendChild(page.document.createElement('button'));
    open();
    const guards = page.document.withAttribute('data-keyline-focus-guard');
    assert.equal(guards.length, 2);
    const [start, end] = guards as [FakeElement, FakeElement];
    const close = button('Close');
    const frame = overlay()?.all().find((e) => e.tagName === 'IFRAME');

    end.focus();
    assert.equal(page.document.activeElement, close, 'Tab past the end goes to the first control');
    start.focus();
    assert.equal(page.document.activeElement, frame, 'Shift+Tab past the start goes to the last control');
    behind.focus();
    assert.equal(page.document.activeElement, close, 'focus never stays behind the dialog');
  });

  it('closes on Escape, restores focus, and says close once', () => {
    const opener = page.document.body.appendChild(page.document.createElement('button'));
    opener.focus();
    const h = open();
    page.document.key('Escape');
    h.close();

    assert.equal(overlay(), undefined);
    assert.equal(page.document.activeElement, opener);
    assert.deepEqual(events, [{ type: 'close' }]);
    assert.equal(page.window.count('message'), 0, 'no listener left behind');
    assert.equal(page.document.count('keydown'), 0);
  });

  it('closes when the page says so', () => {
    open();
    page.message(frameWindow(), KEYLINE, { source: 'keyline-connect', type: 'close' });
    assert.equal(overlay(), undefined);
    assert.deepEqual(events, [{ type: 'close' }]);
  });

  it('closes the first UI when a second one opens', () => {
    const first = connect({ url: URL_, token: 'first', onEvent: (e) => events.push(e) });
    open();
    assert.deepEqual(events, [{ type: 'close' }]);
    assert.equal(page.document.withAttribute('data-keyline-connect').length, 1);
    first.close();
    assert.ok(overlay(), 'closing the first handle again leaves the second alone');
  });

  it('reports an exception in onEvent without breaking the flow', () => {
    // The browser reports an error thrown from a timer on the console; here the timer is caught instead.
    const deferred: (() => void)[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void) => deferred.push(fn)) as unknown as typeof setTimeout;
    try {
      open({
        onEvent: (e) => {
          if (e.type === 'ready') throw new Error('host bug');
        },
      });
      page.message(frameWindow(), KEYLINE, { source: 'keyline-connect', type: 'ready' });
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    assert.equal(frameWindow().posted.length, 1, 'the token went out all the same');
    // deferred[0] is the load timer, given up on once ready came; the rest rethrows the host's error.
    assert.equal(deferred.length, 2);
    assert.throws(() => deferred[1]?.(), /host bug/);
  });
});

describe('load failure', () => {
  it('shows its own message and close button and reports load_failed, fatal, once, when the page never says ready', async () => {
    open({ loadTimeout: 20 });
    await wait(80);

    assert.deepEqual(events, [
      {
        type: 'error',
        code: 'load_failed',
        message:
          'The connect window could not be loaded. Check your connection and try again later; ' +
          'if this keeps happening, contact the support of this site.',
        fatal: true,
      },
    ]);
    const failed = page.document.withAttribute('data-keyline-load-failed')[0];
    assert.ok(failed);
    assert.match(failed.text(), /The connect window could not be loaded/);
    assert.equal(overlay()?.all().find((e) => e.tagName === 'IFRAME'), undefined, 'the broken frame is gone');
    const close = button('Close');
    assert.equal(page.document.activeElement, close);
    assert.equal(close.parentNode?.parentNode?.getAttribute('role'), 'dialog');

    close.click();
    assert.equal(overlay(), undefined);
    assert.deepEqual(events.map((e) => e.type), ['error', 'close']);
  });

  it('is not reported once the page said ready', async () => {
    open({ loadTimeout: 20 });
    page.message(frameWindow(), KEYLINE, { source: 'keyline-connect', type: 'ready' });
    await wait(80);
    assert.deepEqual(events, [{ type: 'ready' }]);
  });

  it('ignores a page that says ready too late', async () => {
    open({ loadTimeout: 20 });
    const frame = frameWindow();
    await wait(60);
    page.message(frame, KEYLINE, { source: 'keyline-connect', type: 'ready' });
    assert.equal(frame.posted.length, 0, 'no token for a window already given up');
    assert.deepEqual(events.map((e) => e.type), ['error']);
  });

  it('is not reported after the person closed the overlay', async () => {
    open({ loadTimeout: 20 }).close();
    await wait(60);
    assert.deepEqual(events, [{ type: 'close' }]);
  });
});

describe('popup', () => {
  it('reports a blocked popup as fatal popup_blocked, then close', () => {
    page.blockPopups = true;
    open({ mode: 'popup' });
    assert.equal(events.length, 2);
    assert.equal(events[0]?.type, 'error');
    assert.deepEqual({ ...events[0], message: undefined }, { type: 'error', code: 'popup_blocked', message: undefined, fatal: true });
    assert.deepEqual(events[1], { type: 'close' });
  });

  it('hands the token to the popup on every ready, and says ready once', () => {
    open({ mode: 'popup', locale: 'ja' });
    const popup = page.popups[0];
    assert.ok(popup);
    page.message(popup, KEYLINE, { source: 'keyline-connect', type: 'ready' });
    page.message(popup, KEYLINE, { source: 'keyline-connect', type: 'ready' }); // back from an OAuth redirect
    assert.equal(popup.posted.length, 2);
    assert.deepEqual(popup.posted[1]?.message, { source: 'keyline-host', type: 'token', token: TOKEN, locale: 'ja' });
    assert.deepEqual(events, [{ type: 'ready' }]);
    assert.equal(overlay(), undefined, 'no overlay in popup mode');
  });

  it('closes a popup that never said ready and reports load_failed, fatal', async () => {
    open({ mode: 'popup', loadTimeout: 20 });
    await wait(80);
    assert.equal(page.popups[0]?.closed, true);
    assert.deepEqual(events.map((e) => [e.type, e.type === 'error' ? [e.code, e.fatal] : null]), [
      ['error', ['load_failed', true]],
      ['close', null],
    ]);
  });
});
