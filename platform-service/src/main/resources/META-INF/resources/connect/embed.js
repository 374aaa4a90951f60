/*! @keyline/connect 1.0.0 | the script-tag form: sets window.Keyline */
(function () {
  'use strict';
  // Loaded twice (two tags, or the npm package beside the tag): the first one stays.
  if (window.Keyline && typeof window.Keyline.connect === 'function') return;
  /*
   * Keyline connect: opens the connect UI of a connect session over your page (or in a popup) and tells you what
   * happened. Call it with what your backend got from POST /v1/connect/sessions:
   *
   *   Keyline.connect({ url: session.connect_url, token: session.token, onEvent: function (e) { ... } });
   *
   * Events: {type: 'ready'}, {type: 'success', account_id, provider}, {type: 'error', code, message, fatal},
   * {type: 'close'}. The returned handle's close() closes the UI. See connect-js/README.md for every option and
   * error code.
   *
   * The token is handed to the connect page by postMessage, addressed to Keyline's origin only, after the page
   * says it is ready; it never goes into a URL. Messages are accepted only from that page.
   */
  /** This script's version; Keyline also serves it at /connect/embed-<VERSION>.js. */
  const VERSION = '1.0.0';
  const DEFAULT_LOAD_TIMEOUT = 10000;
  const LOAD_FAILED_MESSAGE = 'The connect window could not be loaded. Check your connection and try again later; ' +
      'if this keeps happening, contact the support of this site.';
  const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
  const TEXT = '#1d2433';
  let current = null;
  /** Opens the connect UI of one session; a second call closes the first UI. Throws TypeError on bad options. */
  function connect(options) {
      const checked = validate(options);
      const w = window;
      const doc = document;
      const keylineOrigin = checked.url.origin;
      const popup = checked.mode === 'popup';
      if (current)
          current.close();
      let closed = false;
      let ready = false;
      let failed = false;
      let target = null;
      let overlay = null;
      let dialog = null;
      let frame = null;
      let closeButton = null;
      let failureButton = null;
      let pollTimer;
      let inerted = [];
      const previousFocus = doc.activeElement;
      const previousOverflow = doc.documentElement.style.overflow;
      function emit(event) {
          try {
              checked.onEvent(event);
          }
          catch (e) {
              // The host's handler failed: report it without breaking the connect flow.
              setTimeout(() => {
                  throw e;
              });
          }
      }
      function onMessage(event) {
          var _a;
          if (closed || failed || event.origin !== keylineOrigin || !target || event.source !== target)
              return;
          const m = event.data;
          if (!m || typeof m !== 'object' || m.source !== 'keyline-connect')
              return;
          switch (m.type) {
              case 'ready': {
                  // Sent again after the page navigates (an OAuth redirect in a popup): it needs the token each time.
                  const message = { source: 'keyline-host', type: 'token', token: checked.token };
                  if (checked.locale !== undefined)
                      message.locale = checked.locale;
                  target.postMessage(message, keylineOrigin);
                  if (!ready) {
                      ready = true;
                      clearTimeout(loadTimer);
                      // The page shows its own close button from here on.
                      removeNode(closeButton);
                      closeButton = null;
                      emit({ type: 'ready' });
                  }
                  break;
              }
              case 'success':
                  emit({ type: 'success', account_id: String(m.account_id), provider: String(m.provider) });
                  break;
              case 'error':
                  emit({ type: 'error', code: String(m.code), message: String((_a = m.message) !== null && _a !== void 0 ? _a : ''), fatal: m.fatal === true });
                  break;
              case 'close':
                  close();
                  break;
          }
      }
      function onKey(event) {
          if (event.key === 'Escape')
              close();
      }
      /** Anything outside the dialog that gets focus (a host script, a click) sends it back in. */
      function onFocusIn(event) {
          if (overlay && event.target instanceof Node && !overlay.contains(event.target))
              focusEdge('first');
      }
      function onResize() {
          if (dialog)
              layout(dialog);
      }
      function controls() {
          const all = [closeButton, frame, failureButton];
          return all.filter((c) => c !== null && c.parentNode !== null);
      }
      function focusEdge(edge) {
          const all = controls();
          const control = edge === 'first' ? all[0] : all[all.length - 1];
          if (control)
              control.focus();
      }
      function close() {
          if (closed)
              return;
          closed = true;
          clearTimeout(loadTimer);
          clearInterval(pollTimer);
          w.removeEventListener('message', onMessage);
          w.removeEventListener('resize', onResize);
          doc.removeEventListener('keydown', onKey);
          doc.removeEventListener('focusin', onFocusIn);
          if (overlay) {
              removeNode(overlay);
              doc.documentElement.style.overflow = previousOverflow;
              inerted.forEach((el) => el.removeAttribute('inert'));
              inerted = [];
          }
          if (popup && target && !target.closed)
              target.close();
          if (previousFocus && previousFocus !== doc.body && typeof previousFocus.focus === 'function') {
              previousFocus.focus();
          }
          if (current === handle)
              current = null;
          emit({ type: 'close' });
      }
      /** The page never said it was ready: a wrong URL, a refused frame, or Keyline out of reach. */
      function fail() {
          if (closed || ready || failed)
              return;
          failed = true;
          emit({ type: 'error', code: 'load_failed', message: LOAD_FAILED_MESSAGE, fatal: true });
          if (popup) {
              close();
              return;
          }
          removeNode(frame);
          removeNode(closeButton);
          frame = null;
          closeButton = null;
          target = null;
          if (!closed && dialog)
              showFailure(dialog);
      }
      function showFailure(parent) {
          const panel = element('div', {
              display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: '12px',
              boxSizing: 'border-box', height: '100%', padding: '32px 28px', textAlign: 'center', color: TEXT,
              font: '15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', overflowWrap: 'anywhere',
          });
          panel.setAttribute('data-keyline-load-failed', '');
          const alert = element('div', {});
          alert.setAttribute('role', 'alert');
          alert.id = 'keyline-connect-load-failed';
          const title = element('p', { margin: '0 0 6px', fontSize: '18px', fontWeight: '600' });
          title.textContent = 'The connect window could not be loaded';
          const detail = element('p', { margin: '0', color: '#4b5563' });
          detail.textContent =
              'Check your connection and try again later. If this keeps happening, contact the support of this site.';
          alert.appendChild(title);
          alert.appendChild(detail);
          const button = element('button', {
              marginTop: '8px', padding: '10px 22px', border: '0', borderRadius: '8px', background: TEXT, color: '#fff',
              font: 'inherit', fontWeight: '600', cursor: 'pointer',
          });
          button.type = 'button';
          button.textContent = 'Close';
          button.addEventListener('click', close);
          panel.appendChild(alert);
          panel.appendChild(button);
          parent.appendChild(panel);
          parent.setAttribute('aria-describedby', alert.id);
          failureButton = button;
          button.focus();
      }
      const handle = { close };
      current = handle;
      w.addEventListener('message', onMessage);
      const loadTimer = setTimeout(fail, checked.loadTimeout);
      if (popup) {
          const width = 480;
          const height = Math.min(780, (w.screen && w.screen.availHeight) || 780);
          const left = Math.max(0, (w.screenX || 0) + ((w.outerWidth || width) - width) / 2);
          const top = Math.max(0, (w.screenY || 0) + ((w.outerHeight || height) - height) / 2);
          target = w.open(checked.url.href, 'keyline-connect', 'popup=yes,width=' + width + ',height=' + height + ',left=' + left + ',top=' + top);
          if (!target) {
              failed = true;
              emit({
                  type: 'error',
                  code: 'popup_blocked',
                  message: 'The browser blocked the connect window. Allow pop-ups for this site and try again.',
                  fatal: true,
              });
              close();
              return handle;
          }
          const opened = target;
          pollTimer = setInterval(() => {
              if (opened.closed)
                  close();
          }, 400);
          return handle;
      }
      overlay = element('div', {
          position: 'fixed', top: '0', right: '0', bottom: '0', left: '0', zIndex: '2147483000', display: 'flex',
          alignItems: 'center', justifyContent: 'center', background: 'rgba(16, 22, 34, 0.55)',
          backdropFilter: 'blur(2px)',
      });
      overlay.setAttribute('data-keyline-connect', '');
      // Tab past either end of the dialog lands on one of these and goes round to the other end: focus may leave the
      // cross-origin frame only into the host's document, where these keep it inside the dialog.
      const startGuard = focusGuard(() => focusEdge('last'));
      const endGuard = focusGuard(() => focusEdge('first'));
      dialog = element('div', { position: 'relative', background: '#fff', overflow: 'hidden', boxShadow: '0 24px 64px rgba(0, 0, 0, 0.25)' });
      dialog.setAttribute('role', 'dialog');
      dialog.setAttribute('aria-modal', 'true');
      dialog.setAttribute('aria-label', 'Connect your account');
      closeButton = element('button', {
          position: 'absolute', top: '10px', right: '10px', zIndex: '1', width: '36px', height: '36px', padding: '0',
          border: '0', borderRadius: '50%', background: 'rgba(255, 255, 255, 0.94)', color: TEXT,
          font: '24px/36px system-ui, sans-serif', cursor: 'pointer', boxShadow: '0 1px 4px rgba(0, 0, 0, 0.2)',
      });
      closeButton.type = 'button';
      closeButton.setAttribute('aria-label', 'Close');
      closeButton.textContent = '\u00d7';
      closeButton.addEventListener('click', close);
      const iframe = element('iframe', { border: '0', width: '100%', height: '100%', display: 'block', colorScheme: 'light' });
      iframe.src = checked.url.href;
      iframe.title = 'Connect your account (Keyline)';
      iframe.setAttribute('referrerpolicy', 'origin');
      frame = iframe;
      dialog.appendChild(closeButton);
      dialog.appendChild(iframe);
      overlay.appendChild(startGuard);
      overlay.appendChild(dialog);
      overlay.appendChild(endGuard);
      layout(dialog);
      doc.documentElement.style.overflow = 'hidden';
      // The rest of the page is out of reach while the dialog is open: no focus, no clicks, hidden from screen readers.
      Array.prototype.slice.call(doc.body.children).forEach((el) => {
          if (!el.hasAttribute('inert')) {
              el.setAttribute('inert', '');
              inerted.push(el);
          }
      });
      doc.body.appendChild(overlay);
      target = iframe.contentWindow;
      closeButton.focus();
      iframe.addEventListener('load', () => {
          if (!failed && !closed)
              iframe.focus();
      });
      doc.addEventListener('keydown', onKey);
      doc.addEventListener('focusin', onFocusIn);
      w.addEventListener('resize', onResize);
      return handle;
  }
  /** Refuses bad options before anything is shown, naming the option; a typo must not open a broken window. */
  function validate(options) {
      if (!options || typeof options !== 'object') {
          throw new TypeError('Keyline.connect needs an options object: {url, token}.');
      }
      if (typeof options.url !== 'string' || !options.url) {
          throw new TypeError('Keyline.connect: url must be the connect_url of a connect session.');
      }
      if (typeof options.token !== 'string' || !options.token) {
          throw new TypeError('Keyline.connect: token must be the token of a connect session.');
      }
      let url;
      try {
          url = new URL(options.url, window.location.href);
      }
      catch (e) {
          throw new TypeError('Keyline.connect: url is not a valid address.');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
          throw new TypeError('Keyline.connect: url must be an http(s) address.');
      }
      const mode = options.mode === undefined ? 'overlay' : options.mode;
      if (mode !== 'overlay' && mode !== 'popup') {
          throw new TypeError("Keyline.connect: mode must be 'overlay' or 'popup'.");
      }
      if (options.locale !== undefined && (typeof options.locale !== 'string' || !LOCALE.test(options.locale))) {
          throw new TypeError("Keyline.connect: locale must be a language tag such as 'de' or 'de-CH'.");
      }
      if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
          throw new TypeError('Keyline.connect: onEvent must be a function.');
      }
      const loadTimeout = options.loadTimeout === undefined ? DEFAULT_LOAD_TIMEOUT : options.loadTimeout;
      if (typeof loadTimeout !== 'number' || !isFinite(loadTimeout) || loadTimeout <= 0) {
          throw new TypeError('Keyline.connect: loadTimeout must be a positive number of milliseconds.');
      }
      return {
          url,
          token: options.token,
          mode,
          locale: options.locale,
          onEvent: options.onEvent || (() => { }),
          loadTimeout,
      };
  }
  /** Full screen on phones, a centred card elsewhere. */
  function layout(dialog) {
      const small = window.innerWidth < 560 || window.innerHeight < 560;
      style(dialog, small
          ? { width: '100%', height: '100%', borderRadius: '0' }
          : { width: '460px', height: Math.min(760, window.innerHeight - 48) + 'px', borderRadius: '14px' });
  }
  function focusGuard(onFocus) {
      const guard = element('div', { position: 'fixed', width: '1px', height: '1px', overflow: 'hidden' });
      guard.tabIndex = 0;
      guard.setAttribute('data-keyline-focus-guard', '');
      guard.addEventListener('focus', onFocus);
      return guard;
  }
  function element(tag, properties) {
      const node = document.createElement(tag);
      style(node, properties);
      return node;
  }
  // Inline style properties rather than a <style> element, which a host's CSP may forbid.
  function style(node, properties) {
      Object.keys(properties).forEach((k) => {
          node.style[k] = properties[k];
      });
  }
  function removeNode(node) {
      if (node && node.parentNode)
          node.parentNode.removeChild(node);
  }
  window.Keyline = Object.freeze({ connect: connect, version: VERSION });
})();
