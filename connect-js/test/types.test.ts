// Compiling this file is the test: each @ts-expect-error line must be refused by the types, or tsc fails the build
// ("Unused '@ts-expect-error' directive"); the other lines must be accepted.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ConnectErrorCode, ConnectEvent, ConnectHandle, ConnectOptions, KnownErrorCode } from '../src/index.js';

function describeEvent(event: ConnectEvent): string {
  switch (event.type) {
    case 'ready':
      // @ts-expect-error a ready event has no account
      return event.account_id;
    case 'success':
      return `${event.provider}: ${event.account_id}`;
    case 'error': {
      const fatal: boolean = event.fatal;
      // @ts-expect-error an error event has no account
      void event.account_id;
      return `${event.code} ${event.message} ${fatal}`;
    }
    case 'close':
      return 'closed';
    default: {
      // Every variant is handled above: a new one added to the union fails here.
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function onlyErrors(event: ConnectEvent): string | undefined {
  // @ts-expect-error code exists only once the type says error
  void event.code;
  return event.type === 'error' ? event.code : undefined;
}

const options: ConnectOptions = { url: 'https://k.example/connect/ui/1', token: 't', mode: 'popup', locale: 'de-CH', loadTimeout: 5000, onEvent: describeEvent };
// @ts-expect-error the token is required
const noToken: ConnectOptions = { url: 'https://k.example/connect/ui/1' };
// @ts-expect-error only overlay and popup are modes
const badMode: ConnectOptions = { url: 'u', token: 't', mode: 'modal' };
// @ts-expect-error the timeout is milliseconds, a number
const badTimeout: ConnectOptions = { url: 'u', token: 't', loadTimeout: '10s' };
// @ts-expect-error an event type that does not exist
const badEvent: ConnectEvent = { type: 'done' };
// @ts-expect-error an error event says whether it is fatal
const noFatal: ConnectEvent = { type: 'error', code: 'load_failed', message: 'x' };
const known: KnownErrorCode = 'popup_blocked';
// @ts-expect-error a known code is one of the documented ones
const unknownKnown: KnownErrorCode = 'upstream_exploded';
const connectorCode: ConnectErrorCode = 'okta.api_token_invalid';
function misuse(handle: ConnectHandle): void {
  handle.close();
  // @ts-expect-error the handle has close() and nothing else to call
  handle.open();
}

it('the types accept right use and refuse wrong use (checked by tsc when this file compiled)', () => {
  assert.equal(describeEvent({ type: 'success', account_id: 'a', provider: 'okta' }), 'okta: a');
  assert.equal(onlyErrors({ type: 'error', code: known, message: 'm', fatal: true }), 'popup_blocked');
  assert.ok(options && noToken && badMode && badTimeout && badEvent && noFatal && unknownKnown && connectorCode && misuse);
});
