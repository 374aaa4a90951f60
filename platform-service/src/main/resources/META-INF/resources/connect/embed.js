/*
 * Keyline connect: embed script. Include it with one tag and call Keyline.connect with what your backend got
 * from POST /v1/connect/sessions:
 *
 *   <script src="https://keyline.example.com/connect/embed.js"></script>
 *   Keyline.connect({ url: session.connect_url, token: session.token, onEvent: function (e) { ... } });
 *
 * Events: {type: 'ready'}, {type: 'success', account_id, provider}, {type: 'error', code, message},
 * {type: 'close'}. Options: mode 'overlay' (default, an iframe over your page) or 'popup'.
 *
 * The token is handed to the connect page by postMessage, addressed to Keyline's origin only, after the page
 * says it is ready; it never goes into a URL. Messages are accepted only from that page.
 */
(function (global) {
  'use strict';
  if (global.Keyline && typeof global.Keyline.connect === 'function') return;

  var current = null;

  function connect(options) {
    options = options || {};
    if (typeof options.url !== 'string' || !options.url || typeof options.token !== 'string' || !options.token) {
      throw new TypeError('Keyline.connect needs {url, token}: the connect_url and token of a connect session.');
    }
    var url = new URL(options.url, global.location.href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TypeError('Keyline.connect: url must be an http(s) address.');
    }
    var keylineOrigin = url.origin;
    var onEvent = typeof options.onEvent === 'function' ? options.onEvent : function () {};
    var token = options.token;
    var popup = options.mode === 'popup';

    if (current) current.close();

    var closed = false;
    var target = null;
    var overlay = null;
    var pollTimer = null;
    var previousFocus = document.activeElement;
    var previousOverflow = document.documentElement.style.overflow;

    function emit(event) {
      try {
        onEvent(event);
      } catch (e) {
        // The host's handler failed: report it without breaking the connect flow.
        setTimeout(function () { throw e; });
      }
    }

    function onMessage(event) {
      if (closed || event.origin !== keylineOrigin || !target || event.source !== target) return;
      var m = event.data;
      if (!m || typeof m !== 'object' || m.source !== 'keyline-connect') return;
      switch (m.type) {
        case 'ready':
          target.postMessage({ source: 'keyline-host', type: 'token', token: token }, keylineOrigin);
          emit({ type: 'ready' });
          break;
        case 'success':
          emit({ type: 'success', account_id: m.account_id, provider: m.provider });
          break;
        case 'error':
          emit({ type: 'error', code: m.code, message: m.message });
          break;
        case 'close':
          close();
          break;
      }
    }

    function onKey(event) {
      if (event.key === 'Escape') close();
    }

    function onResize() {
      if (overlay) layout(overlay.firstChild);
    }

    function close() {
      if (closed) return;
      closed = true;
      global.removeEventListener('message', onMessage);
      global.removeEventListener('resize', onResize);
      document.removeEventListener('keydown', onKey);
      clearInterval(pollTimer);
      if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
      if (overlay) document.documentElement.style.overflow = previousOverflow;
      if (popup && target && !target.closed) target.close();
      if (previousFocus && typeof previousFocus.focus === 'function') previousFocus.focus();
      if (current === handle) current = null;
      emit({ type: 'close' });
    }

    var handle = { close: close };
    current = handle;
    global.addEventListener('message', onMessage);

    if (popup) {
      var width = 480;
      var height = Math.min(780, global.screen.availHeight || 780);
      var left = Math.max(0, (global.screenX || 0) + ((global.outerWidth || width) - width) / 2);
      var top = Math.max(0, (global.screenY || 0) + ((global.outerHeight || height) - height) / 2);
      target = global.open(url.href, 'keyline-connect',
        'popup=yes,width=' + width + ',height=' + height + ',left=' + left + ',top=' + top);
      if (!target) {
        emit({ type: 'error', code: 'popup_blocked', message: 'The browser blocked the connect window.' });
        close();
        return handle;
      }
      pollTimer = setInterval(function () { if (target.closed) close(); }, 400);
      return handle;
    }

    overlay = document.createElement('div');
    overlay.setAttribute('data-keyline-connect', '');
    style(overlay, {
      position: 'fixed', top: '0', right: '0', bottom: '0', left: '0', zIndex: '2147483000', display: 'flex', alignItems: 'center',
      justifyContent: 'center', background: 'rgba(16, 22, 34, 0.55)', backdropFilter: 'blur(2px)'
    });
    var dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-label', 'Connect your account');
    style(dialog, { background: '#fff', overflow: 'hidden', boxShadow: '0 24px 64px rgba(0, 0, 0, 0.25)' });
    var frame = document.createElement('iframe');
    frame.src = url.href;
    frame.title = 'Connect your account (Keyline)';
    frame.setAttribute('referrerpolicy', 'origin');
    style(frame, { border: '0', width: '100%', height: '100%', display: 'block', colorScheme: 'light' });
    dialog.appendChild(frame);
    overlay.appendChild(dialog);
    layout(dialog);
    document.documentElement.style.overflow = 'hidden';
    document.body.appendChild(overlay);
    target = frame.contentWindow;
    frame.addEventListener('load', function () { frame.focus(); });
    document.addEventListener('keydown', onKey);
    global.addEventListener('resize', onResize);
    return handle;
  }

  /** Full screen on phones, a centred card elsewhere. */
  function layout(dialog) {
    var small = global.innerWidth < 560 || global.innerHeight < 560;
    style(dialog, small
      ? { width: '100%', height: '100%', borderRadius: '0' }
      : { width: '460px', height: Math.min(760, global.innerHeight - 48) + 'px', borderRadius: '14px' });
  }

  // Inline style properties rather than a <style> element, which a host's CSP may forbid.
  function style(node, properties) {
    Object.keys(properties).forEach(function (k) { node.style[k] = properties[k]; });
  }

  global.Keyline = Object.freeze({ connect: connect });
})(window);
