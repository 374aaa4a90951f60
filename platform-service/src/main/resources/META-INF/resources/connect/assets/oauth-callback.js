/*
 * The OAuth callback page. How it finishes depends on how the consent was shown (data-display):
 * - popup: the connect page opened this window; tell it the outcome on Keyline's own origin only (never a
 *   wildcard: the outcome names the account), then close.
 * - redirect from a hosted session: back to the tenant's return_url with the outcome in its query, or show it.
 * - redirect inside the embed's popup: the window's opener is the tenant's page; tell it as the connect page would
 *   (to each allowed origin; the others drop it), show the outcome and a Done button that closes the popup.
 * Opened any other way it shows the outcome. The code and state are taken out of the address bar either way.
 */
(function () {
  'use strict';

  var root = document.documentElement;
  try { history.replaceState(null, '', location.pathname); } catch (e) { /* keep going */ }

  function data(name) {
    var value = root.getAttribute('data-' + name);
    return value ? value : null;
  }

  function origins() {
    try {
      var list = JSON.parse(data('origins') || '[]');
      return Array.isArray(list) ? list.filter(function (o) { return typeof o === 'string'; }) : [];
    } catch (e) {
      return [];
    }
  }

  var I18n = window.KeylineI18n;
  var lang = (I18n && (I18n.supported(data('locale')) || I18n.fromBrowser())) || 'en';
  var t = I18n ? I18n.translator(lang) : null;
  var success = data('outcome') === 'success';
  var code = data('code');
  var display = data('display') || 'popup';
  var opener = window.opener && !window.opener.closed ? window.opener : null;

  function setText(id, text) {
    var node = document.getElementById(id);
    if (node && text) node.textContent = text;
  }

  /** The page's sentences in the person's language; the provider's own words (data-message) stay as they are. */
  function translate() {
    if (!t) return;
    root.setAttribute('lang', lang);
    var name = data('provider-name');
    document.title = t(success ? 'callback.title_success' : 'callback.title_error') + ' · Keyline';
    if (success) {
      setText('outcome-title', name ? t(data('relink') === 'true' ? 'callback.success_relink' : 'callback.success', { name: name })
        : t('callback.success_generic'));
      setText('outcome-hint', t('callback.close_hint'));
    } else {
      setText('outcome-title', t(code === 'access_denied' ? 'callback.denied' : 'callback.failed'));
      if (code === 'access_denied') setText('oauth-message', t('callback.denied_body'));
      setText('outcome-hint', t('callback.nothing'));
      setText('back', t('callback.back'));
    }
  }

  function outcomeMessage() {
    return success
      ? { source: 'keyline-connect', type: 'success', account_id: data('account-id'), provider: data('provider') }
      : { source: 'keyline-connect', type: 'error', code: code || 'oauth_failed', message: data('message') || '', fatal: false };
  }

  function toEachOrigin(target, message) {
    origins().forEach(function (origin) {
      try { target.postMessage(message, origin); } catch (e) { /* the host went away */ }
    });
  }

  function button(id, label, onclick) {
    var actions = document.getElementById('outcome-actions');
    if (!actions) return;
    var node = document.createElement('button');
    node.type = 'button';
    node.className = 'button';
    node.id = id;
    node.textContent = label;
    node.addEventListener('click', onclick);
    actions.appendChild(node);
  }

  translate();
  // The connect page kept its token in this tab for a retry; after a success there is nothing to retry.
  if (success && data('session')) {
    try { sessionStorage.removeItem('keyline-connect:' + data('session')); } catch (e) { /* nothing kept */ }
  }

  if (display === 'popup') {
    var origin = data('origin');
    if (!opener || !origin) return;
    try {
      opener.postMessage({
        source: 'keyline-oauth',
        type: success ? 'success' : 'error',
        account_id: data('account-id'),
        provider: data('provider'),
        code: code,
        message: data('message')
      }, origin);
    } catch (e) {
      return;
    }
    window.close();
    return;
  }

  if (data('hosted') === 'true') {
    var back = data('return-url');
    if (!back) return;
    var url;
    try { url = new URL(back); } catch (e) { return; }
    url.searchParams.set('keyline_status', success ? 'success' : code === 'access_denied' ? 'cancelled' : 'error');
    if (data('session')) url.searchParams.set('keyline_session_id', data('session'));
    if (success && data('account-id')) url.searchParams.set('keyline_account_id', data('account-id'));
    if (!success && code) url.searchParams.set('keyline_error', code);
    if (success) setText('outcome-hint', t ? t('callback.returning') : null);
    var link = document.createElement('a');
    link.className = 'button';
    link.id = 'return';
    link.href = url.toString();
    link.textContent = t ? t('callback.continue') : 'Continue';
    if (!success) link.className = 'button secondary';
    var actions = document.getElementById('outcome-actions');
    if (actions) actions.appendChild(link);
    // After a failure the person may rather try again (the link back to the connect page) than leave.
    if (success) setTimeout(function () { location.assign(url.toString()); }, 1500);
    return;
  }

  // The embed's popup went to the provider itself: its opener is the tenant's page.
  if (opener) {
    toEachOrigin(opener, outcomeMessage());
    button('done', t ? t('done') : 'Done', function () {
      toEachOrigin(opener, { source: 'keyline-connect', type: 'close' });
      window.close();
    });
  }
})();
