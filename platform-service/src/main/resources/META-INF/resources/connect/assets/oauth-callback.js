/*
 * The OAuth callback page: tells the connect page that opened the sign-in how it went, on Keyline's own origin only
 * (never a wildcard: the outcome names the account), then closes. Opened without an opener it stays and shows the
 * outcome. The code and state are taken out of the address bar either way.
 */
(function () {
  'use strict';

  var root = document.documentElement;
  try { history.replaceState(null, '', location.pathname); } catch (e) { /* keep going */ }

  function data(name) {
    var value = root.getAttribute('data-' + name);
    return value ? value : null;
  }

  var origin = data('origin');
  var opener = window.opener;
  if (!opener || opener.closed || !origin) return;
  var message = {
    source: 'keyline-oauth',
    type: data('outcome') === 'success' ? 'success' : 'error',
    account_id: data('account-id'),
    provider: data('provider'),
    code: data('code'),
    message: data('message')
  };
  try {
    opener.postMessage(message, origin);
  } catch (e) {
    return;
  }
  window.close();
})();
