/*
 * Keyline connect page. It talks to two parties only: Keyline's session API (same origin) and its host page,
 * which must be one of the tenant's allowed origins (given by the server in data-origins). The session token
 * arrives from the host by postMessage after our "ready"; it is never read from the URL, except from the fragment
 * of a link opened on its own (a reconnect link or a hosted session), which never reaches a server.
 *
 * Every sentence comes from i18n.js (loaded before this file); connector diagnoses come translated with the
 * session (`messages`, by message code), with the English `detail` as fallback.
 */
(function () {
  'use strict';

  var I18n = window.KeylineI18n;
  var root = document.documentElement;
  var allowed = parseOrigins(root.getAttribute('data-origins'));
  var sessionId = root.getAttribute('data-session') || '';
  var pageState = root.getAttribute('data-state');
  var tenantName = root.getAttribute('data-tenant') || '';
  var main = document.getElementById('main');
  var closeButton = document.getElementById('close');
  var framed = window.parent !== window;
  // A reconnect link or a hosted session opened on its own carries the token in the fragment.
  var fragmentToken = framed ? null : readFragmentToken();
  // Back from a sign-in in this window (a retry after the provider's callback): the token this tab kept.
  var storedToken = framed || fragmentToken ? null : readStoredToken();
  var hostWindow = framed ? window.parent : fragmentToken ? null : window.opener;
  // Framed pages send the person to the provider in a popup; a page that is itself a popup or a tab goes there.
  var display = framed ? 'popup' : 'redirect';
  var hostOrigin = null;
  var token = null;
  var session = null;
  var messages = {};
  var embedLocale = null;
  var lang = I18n.fromBrowser() || 'en';
  var t = I18n.translator(lang);
  var plain = false; // the tenant hides Keyline's name
  var waitTimer = null;

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var SESSION_GONE = ['session_expired', 'session_used', 'session_invalid', 'session_mismatch'];

  // ---------------------------------------------------------------- small DOM helpers (no innerHTML: the
  // descriptor and the server's messages are text, never markup)

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === 'class') node.className = value;
      else if (name.indexOf('on') === 0) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function icon(paths) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    paths.forEach(function (d) {
      var path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    });
    return svg;
  }

  /** Text with its URLs set in code style, so people see exactly what to paste. */
  function richText(text) {
    var parts = [];
    var re = /https?:\/\/[^\s,;)]+/g;
    var last = 0;
    var match;
    text = String(text);
    while ((match = re.exec(text)) !== null) {
      var url = match[0].replace(/[.]+$/, '');
      parts.push(text.slice(last, match.index));
      parts.push(el('code', { 'class': 'url' }, breakable(url)));
      last = match.index + url.length;
    }
    parts.push(text.slice(last));
    return parts;
  }

  /** A URL that may wrap after a slash, never inside a word ("scim/v" + "2" reads as another address). */
  function breakable(url) {
    var pieces = url.split('/');
    var parts = [];
    pieces.forEach(function (piece, i) {
      var last = i === pieces.length - 1;
      parts.push(last ? piece : piece + '/');
      // Not inside "//": a line break there would split the scheme from the host.
      if (!last && piece !== '' && pieces[i + 1] !== '') parts.push(el('wbr'));
    });
    return parts;
  }

  function show(screen, focusTarget) {
    main.replaceChildren(screen);
    main.removeAttribute('aria-busy');
    var target = focusTarget || screen.querySelector('h1');
    if (target) {
      if (!target.hasAttribute('tabindex') && target.tagName === 'H1') target.setAttribute('tabindex', '-1');
      // A new screen is read from its top, even when the caret waits further down.
      target.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }

  function tenant() {
    return tenantName || t('tenant.fallback');
  }

  /** The variant of a sentence without Keyline's name when the tenant hides it. */
  function tk(key, params) {
    return t(plain ? key + '_plain' : key, params);
  }

  function nameOf(connector) {
    return connector.display_name || connector.id;
  }

  // ---------------------------------------------------------------- language and brand

  /** Session locale > the embed's locale option > the browser's languages > English. */
  function chooseLanguage() {
    var chosen = (session && I18n.supported(session.locale)) || embedLocale || I18n.fromBrowser() || 'en';
    if (chosen !== lang || !root.hasAttribute('data-lang-set')) {
      lang = chosen;
      t = I18n.translator(lang);
    }
    root.setAttribute('lang', lang);
    root.setAttribute('data-lang-set', '');
    renderChrome();
  }

  /** The parts of the page outside the screens: title, header, close button, footer. */
  function renderChrome() {
    document.title = t('page.title') + (plain ? '' : ' · Keyline');
    closeButton.setAttribute('aria-label', t('close'));
    var brandFor = document.getElementById('brand-for');
    brandFor.textContent = tenantName;
    brandFor.setAttribute('data-prefix', plain ? '' : t('header.for'));
    var brandBox = document.querySelector('.brand');
    brandBox.setAttribute('aria-label', plain ? tenantName || t('page.title') : 'Keyline');
    var footerKey = (plain ? 'footer.plain' : 'footer.') + (tenantName ? (plain ? '_tenant' : 'tenant') : (plain ? '' : 'default'));
    document.getElementById('footer-text').textContent = t(footerKey, { tenant: tenantName });
    var loading = document.getElementById('loading-text');
    if (loading) loading.textContent = t('loading');
  }

  function parseHex(hex) {
    var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || '');
    return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
  }

  function toHex(rgb) {
    return '#' + rgb.map(function (c) {
      var v = Math.max(0, Math.min(255, Math.round(c)));
      return (v < 16 ? '0' : '') + v.toString(16);
    }).join('');
  }

  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function mix(a, b, share) {
    return [0, 1, 2].map(function (i) { return a[i] + (b[i] - a[i]) * share; });
  }

  /** The colour moved towards `toward` in small steps until it reads on `ground` (WCAG AA for text: 4.5:1). */
  function readableOn(color, ground, toward) {
    var out = color;
    for (var step = 0; step <= 20 && contrast(out, ground) < 4.6; step++) out = mix(color, toward, step / 20);
    return out;
  }

  var WHITE = [255, 255, 255];
  var INK = [11, 15, 23];
  var BLACK = [0, 0, 0];
  var LIGHT_SURFACE = [255, 255, 255];
  var DARK_SURFACE = [19, 26, 38];

  /**
   * The tenant's colour for buttons, links and focus rings, in both appearances: the button keeps the colour (made
   * darker only when neither white nor near-black text would read on it); links and marks are moved until they
   * read on the page's background in each appearance.
   */
  function brandColours(hex) {
    var primary = parseHex(hex);
    if (!primary) return null;
    var fill = primary;
    var on = contrast(fill, WHITE) >= contrast(fill, INK) ? WHITE : INK;
    if (contrast(fill, on) < 4.6) {
      on = WHITE;
      fill = readableOn(primary, WHITE, BLACK);
    }
    var washLight = mix(primary, LIGHT_SURFACE, 0.9);
    var washDark = mix(primary, DARK_SURFACE, 0.78);
    return {
      '--brand-fill': toHex(fill),
      '--brand-fill-hover': toHex(mix(fill, on === WHITE ? BLACK : WHITE, 0.15)),
      '--brand-on': toHex(on),
      '--brand-wash-light': toHex(washLight),
      '--brand-wash-dark': toHex(washDark),
      '--brand-accent-light': toHex(readableOn(primary, washLight, BLACK)),
      '--brand-accent-dark': toHex(readableOn(primary, washDark, WHITE))
    };
  }

  function applyBrand(brand) {
    brand = brand || {};
    var appearance = ['light', 'dark', 'system'].indexOf(brand.appearance) >= 0 ? brand.appearance : 'system';
    root.setAttribute('data-appearance', appearance);
    plain = brand.hide_keyline === true;
    document.body.classList.toggle('no-keyline', plain);
    var colours = brandColours(brand.primary_color);
    // CSSOM, not a style attribute: the page's policy allows no inline styles.
    Object.keys(colours || {}).forEach(function (name) { root.style.setProperty(name, colours[name]); });
    var logo = document.getElementById('tenant-logo');
    if (typeof brand.logo === 'string' && /^data:image\/(png|jpeg|webp|svg\+xml);base64,/.test(brand.logo)) {
      logo.src = brand.logo;
      logo.alt = tenantName;
      logo.hidden = false;
      document.body.classList.add('has-logo');
    }
  }

  // ---------------------------------------------------------------- talking to the host page

  function readFragmentToken() {
    var match = /^#token=([A-Za-z0-9_\-.~]+)$/.exec(location.hash || '');
    if (!match) return null;
    // Out of the address bar, the history and any bookmark at once.
    try { history.replaceState(null, '', location.pathname + location.search); } catch (e) { /* keep going */ }
    return match[1];
  }

  function storageKey() {
    return 'keyline-connect:' + sessionId;
  }

  function readStoredToken() {
    try { return sessionStorage.getItem(storageKey()); } catch (e) { return null; }
  }

  /** Kept for this tab only, on Keyline's origin, while the person is away at the provider. */
  function keepToken(keep) {
    try {
      if (keep) sessionStorage.setItem(storageKey(), token);
      else sessionStorage.removeItem(storageKey());
    } catch (e) { /* private mode: a retry then needs a new link */ }
  }

  function parseOrigins(text) {
    try {
      var value = JSON.parse(text || '[]');
      return Array.isArray(value) ? value.filter(function (o) { return typeof o === 'string'; }) : [];
    } catch (e) {
      return [];
    }
  }

  /** Where the host probably is, so messages go only there; else every allowed origin (others drop them). */
  function candidateOrigins() {
    if (hostOrigin) return [hostOrigin];
    var guess = null;
    if (window.parent !== window && location.ancestorOrigins && location.ancestorOrigins.length) {
      guess = location.ancestorOrigins[0];
    } else if (document.referrer) {
      try { guess = new URL(document.referrer).origin; } catch (e) { guess = null; }
    }
    return guess && allowed.indexOf(guess) >= 0 ? [guess] : allowed;
  }

  function post(type, data) {
    if (!hostWindow) return;
    var message = { source: 'keyline-connect', type: type };
    Object.keys(data || {}).forEach(function (k) { message[k] = data[k]; });
    candidateOrigins().forEach(function (origin) {
      try { hostWindow.postMessage(message, origin); } catch (e) { /* the host went away */ }
    });
  }

  /** An error event: `fatal` says whether this window can still finish the flow. */
  function postError(code, message, fatal) {
    post('error', { code: code, message: message || '', fatal: !!fatal });
  }

  window.addEventListener('message', function (event) {
    if (!hostWindow || event.source !== hostWindow) return;
    if (allowed.indexOf(event.origin) < 0) return;
    if (hostOrigin && event.origin !== hostOrigin) return;
    var message = event.data;
    if (!message || typeof message !== 'object' || message.source !== 'keyline-host') return;
    if (message.type === 'token' && typeof message.token === 'string' && message.token && !token) {
      hostOrigin = event.origin;
      token = message.token;
      embedLocale = I18n.supported(message.locale);
      clearTimeout(waitTimer);
      closeButton.hidden = false;
      chooseLanguage();
      load();
    }
  });

  function hostedReturn() {
    return session && session.hosted && !framed && session.return_url ? session.return_url : null;
  }

  /** The tenant's return_url with the outcome in its query, as the contract names the parameters. */
  function returnUrl(status, extra) {
    var url = new URL(hostedReturn());
    url.searchParams.set('keyline_status', status);
    url.searchParams.set('keyline_session_id', sessionId);
    Object.keys(extra || {}).forEach(function (k) { if (extra[k]) url.searchParams.set(k, extra[k]); });
    return url.toString();
  }

  function requestClose() {
    if (hostedReturn()) location.assign(returnUrl('cancelled'));
    else post('close');
  }

  closeButton.addEventListener('click', requestClose);
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && hostWindow && token) requestClose();
  });

  // ---------------------------------------------------------------- the session API

  function api(method, path, body) {
    var headers = {
      'Accept': 'application/json',
      'Authorization': 'Bearer ' + token,
      'Keyline-Connect-Session': sessionId
    };
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(new URL('../../v1/connect/' + path, location.href), {
      method: method,
      headers: headers,
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer'
    });
  }

  function readProblem(response) {
    return response.json().then(function (problem) {
      return problem && typeof problem === 'object' ? problem : {};
    }, function () {
      return {};
    }).then(function (problem) {
      problem.status = response.status;
      return problem;
    });
  }

  function sessionGone(problem) {
    return SESSION_GONE.indexOf(problem.code) >= 0 || problem.status === 410;
  }

  /**
   * A problem in the person's language. A connector's diagnosis (it has a message code): its translation, else its
   * English detail, which says more than any generic sentence. Any other problem: the platform's sentence for its
   * code, else its detail. Else the page's own words.
   */
  function problemText(problem, connector) {
    var params = problem.message_params && typeof problem.message_params === 'object' ? problem.message_params : {};
    var candidates = [];
    if (problem.message_code) candidates.push(messages[problem.message_code]);
    else if (lang !== 'en' && problem.code) candidates.push(messages[problem.code]);
    for (var i = 0; i < candidates.length; i++) {
      if (typeof candidates[i] !== 'string') continue;
      var text = I18n.format(candidates[i], params);
      if (!/\{[A-Za-z_][A-Za-z0-9_]*\}/.test(text)) return text;
    }
    if (problem.detail) return problem.detail;
    var own = problem.code ? 'error.' + problem.code : null;
    if (own && I18n.catalogues.en[own]) return t(own, { name: connector ? nameOf(connector) : '' });
    return null;
  }

  function sessionQuery() {
    var wanted = embedLocale || I18n.fromBrowser();
    return 'session' + (wanted ? '?locale=' + encodeURIComponent(wanted) : '');
  }

  function load() {
    show(loadingScreen(t('loading')));
    api('GET', sessionQuery()).then(function (response) {
      if (!response.ok) {
        return readProblem(response).then(function (problem) {
          var gone = sessionGone(problem);
          // Without a session the page cannot go on: every load failure is fatal for the host.
          postError(problem.code || (gone ? 'session_invalid' : 'load_failed'), problem.detail, true);
          if (gone) showExpired(problem.code);
          else showTrouble(problemText(problem) || t('trouble.body'));
        });
      }
      return response.json().then(function (body) {
        session = body;
        messages = session.messages && typeof session.messages === 'object' ? session.messages : {};
        if (session.tenant_name) tenantName = session.tenant_name;
        applyBrand(session.brand);
        chooseLanguage();
        if (hostedReturn()) {
          // Hosted: closing means going back to the tenant, cancelled.
          closeButton.hidden = false;
          closeButton.setAttribute('aria-label', t('cancel'));
        }
        start();
      });
    }).catch(function () {
      postError('unreachable', '', false);
      showTrouble(tk('unreachable'));
    });
  }

  /** The connectors this session may connect: `providers` limits them (the server does too). */
  function choosable() {
    var connectors = session.connectors || [];
    var limit = Array.isArray(session.providers) ? session.providers : [];
    return limit.length ? connectors.filter(function (c) { return limit.indexOf(c.id) >= 0; }) : connectors;
  }

  function existingFor(connector) {
    return (session.existing_accounts || []).filter(function (a) { return a.provider === connector.id; });
  }

  function start() {
    var connectors = choosable();
    if (session.account) {
      var linked = (session.connectors || []).filter(function (c) { return c.id === session.account.provider; })[0];
      if (linked) { showForm(linked, { account: session.account, sessionAccount: true }); return; }
    }
    if (connectors.length === 1) choose(connectors[0]);
    else if (connectors.length > 1) showPicker(connectors);
    else showTrouble(t('none_available'));
  }

  /** A chosen provider: reconnect what the owner already has, or connect a new account. */
  function choose(connector, note) {
    var existing = existingFor(connector);
    if (!existing.length) { showForm(connector, { note: note }); return; }
    if (existing.length === 1 && !session.new_account) {
      showForm(connector, { account: existing[0], note: note });
      return;
    }
    showExisting(connector, existing, note);
  }

  // ---------------------------------------------------------------- screens

  function loadingScreen(text) {
    return el('section', { 'class': 'screen', id: 'screen-loading', 'aria-busy': 'true' },
      el('div', { 'class': 'spinner spinner-large', 'aria-hidden': 'true' }),
      el('p', { 'class': 'muted', role: 'status' }, text));
  }

  /** The descriptor's logo (checked SVG, as a data URI) or the name's initials; decoration either way. */
  function providerMark(connector) {
    if (typeof connector.logo === 'string' && /^data:image\/svg\+xml;base64,/.test(connector.logo)) {
      return el('div', { 'class': 'provider-logo has-image' }, el('img', { src: connector.logo, alt: '' }));
    }
    var name = nameOf(connector);
    var words = name.split(/\s+/).filter(Boolean);
    var initials = /^\d/.test(name) ? name.replace(/[^0-9A-Za-z]/g, '').slice(0, 2)
      : words.length > 1 ? words[0][0] + words[1][0] : name.slice(0, 2);
    return el('div', { 'class': 'provider-logo', 'aria-hidden': 'true' }, initials.toUpperCase());
  }

  function categoryLabel(category) {
    if (!category) return t('category.other');
    var key = 'category.' + category;
    return I18n.catalogues.en[key] ? t(key) : category;
  }

  function backToPicker() {
    if (session.account || choosable().length < 2) return null;
    return el('button', { type: 'button', 'class': 'link-button back', id: 'back-to-picker',
      onclick: function () { showPicker(choosable()); } }, '‹ ' + t('picker.back'));
  }

  function showPicker(connectors) {
    var categories = [];
    connectors.forEach(function (c) { if (categories.indexOf(c.category || '') < 0) categories.push(c.category || ''); });
    var grouped = categories.length > 1;
    var items = [];
    var groups = categories.map(function (category) {
      var list = el('ul', { 'class': 'choices', role: 'list' }, connectors.filter(function (c) {
        return (c.category || '') === category;
      }).map(function (c) {
        var label = categoryLabel(c.category);
        var connected = existingFor(c).length > 0;
        var button = el('button', { type: 'button', 'class': 'choice', 'data-provider': c.id,
          onclick: function () { choose(c); } },
          providerMark(c),
          el('span', { 'class': 'choice-text' },
            el('span', { 'class': 'choice-name' }, nameOf(c)),
            grouped ? null : el('span', { 'class': 'choice-category' }, label)),
          connected ? el('span', { 'class': 'badge' }, t('picker.connected')) : null);
        var item = el('li', null, button);
        items.push({ node: item, text: [nameOf(c), c.id, c.category || '', label].join(' ').toLowerCase() });
        return item;
      }));
      return el('div', { 'class': 'choice-group' },
        grouped ? el('h2', null, categoryLabel(category)) : null,
        list);
    });
    var count = el('p', { 'class': 'visually-hidden', id: 'picker-count', role: 'status', 'aria-live': 'polite' });
    var none = el('p', { 'class': 'no-match', id: 'picker-none', hidden: true });
    var search = el('input', { type: 'search', id: 'picker-search', autocomplete: 'off', spellcheck: 'false',
      'aria-controls': 'picker-list', 'aria-describedby': 'picker-count' });

    function filter() {
      var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var match = words.every(function (w) { return item.text.indexOf(w) >= 0; });
        item.node.hidden = !match;
        if (match) shown++;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector('li:not([hidden])');
      });
      count.textContent = shown === 1 ? t('picker.count_one') : t('picker.count_other', { count: shown });
      none.textContent = shown ? '' : t('picker.none', { query: search.value.trim() });
      none.hidden = shown > 0;
    }
    search.addEventListener('input', filter);
    filter();

    var screen = el('section', { 'class': 'screen', id: 'screen-picker' },
      el('h1', null, t('picker.title')),
      el('p', { 'class': 'muted' }, t('picker.intro', { tenant: tenant() })),
      el('div', { 'class': 'search', role: 'search' },
        el('label', { 'for': 'picker-search', 'class': 'visually-hidden' }, t('picker.search')),
        icon(['M11 4a7 7 0 1 0 0 14a7 7 0 0 0 0-14z', 'M20 20l-4-4']),
        search),
      count,
      el('div', { id: 'picker-list' }, groups),
      none);
    search.setAttribute('placeholder', t('picker.search'));
    show(screen);
  }

  function statusLabel(status) {
    var key = 'existing.status_' + status;
    return I18n.catalogues.en[key] ? t(key) : status;
  }

  /** What tells two accounts of one provider apart: their non-secret values (an address, a domain). */
  function accountSummary(account) {
    var values = account.values || {};
    var keys = Object.keys(values).filter(function (k) { return values[k]; });
    return keys.length ? values[keys[0]] : account.id;
  }

  function showExisting(connector, existing, note) {
    var name = nameOf(connector);
    var banner = note ? el('div', { 'class': 'banner', role: 'alert', 'data-code': note.code }, richText(note.message)) : null;
    var screen = el('section', { 'class': 'screen', id: 'screen-existing' },
      backToPicker(),
      el('div', { 'class': 'provider' },
        providerMark(connector),
        el('div', null,
          el('h1', null, t('existing.title', { name: name })),
          el('p', null, t(existing.length > 1 ? 'existing.intro_many' : 'existing.intro', { tenant: tenant(), name: name })))),
      banner,
      el('ul', { 'class': 'accounts', role: 'list' }, existing.map(function (account) {
        return el('li', { 'class': 'account', 'data-account-id': account.id },
          el('div', { 'class': 'account-text' },
            el('span', { 'class': 'account-summary' }, richText(accountSummary(account))),
            el('span', { 'class': 'account-status status-' + account.status }, statusLabel(account.status))),
          el('button', { type: 'button', 'class': 'button', 'data-reconnect': account.id,
            onclick: function () { showForm(connector, { account: account }); } }, t('existing.reconnect', { name: name })));
      })),
      session.new_account ? el('div', { 'class': 'actions' },
        el('button', { type: 'button', 'class': 'button secondary', id: 'connect-another',
          onclick: function () { showForm(connector, { fresh: true }); } }, t('existing.another', { name: name })))
        : null);
    show(screen);
  }

  /**
   * Setup help. "Title: text" paragraphs are the ways a provider can be set up (for 1Password: hosted
   * provisioning or a self-hosted SCIM bridge); each becomes a card that opens to say where to find what.
   * Untitled paragraphs before them introduce, after them are notes. Written by the connector, in English.
   */
  function setupHelp(paragraphs, name) {
    var intro = [];
    var cards = [];
    var notes = [];
    (paragraphs || []).forEach(function (p) {
      var titled = /^([A-Z][^:.]{2,40}):\s+([\s\S]+)$/.exec(p);
      if (titled) {
        cards.push(el('details', { 'class': 'setup' },
          el('summary', null, el('span', { 'class': 'setup-title' }, titled[1])),
          el('p', null, richText(titled[2]))));
      } else if (cards.length === 0) {
        intro.push(el('p', { 'class': 'lead' }, richText(p)));
      } else {
        notes.push(el('p', { 'class': 'note' }, richText(p)));
      }
    });
    if (!intro.length && !cards.length && !notes.length) return null;
    // Connector help is English: say so to screen readers, so they pronounce it right.
    return el('div', { 'class': 'help-block', lang: 'en' },
      intro,
      cards.length ? el('h2', { lang: lang }, t('setup.which', { name: name })) : null,
      cards.length ? el('div', { 'class': 'setups' }, cards) : null,
      notes);
  }

  /** The connector's ways to connect; a connector that lists none is connected with its fields. */
  function authOptions(connector) {
    var options = connector.auth_options || [];
    if (options.length) return options;
    return [{ kind: 'fields', interactive: false, fields: (connector.fields || []).map(function (f) {
      return { field: f, required: true, platform: false };
    }) }];
  }

  function kindLabel(kind, name) {
    var key = 'kind.' + kind;
    return t(I18n.catalogues.en[key] ? key : 'kind.fields', { name: name });
  }

  // Keys, not one-line secrets: pasted or read from the downloaded file.
  var KEY_FIELDS = ['service_account_key', 'private_key'];

  /**
   * The form for one provider. ctx.account: the account to reconnect (the session's own, or one of the owner's
   * existing_accounts, whose id then goes with the request); ctx.kind and ctx.carried: the auth kind chosen and the
   * values typed before switching to it; ctx.note: a problem to show on arrival.
   */
  function showForm(connector, ctx) {
    ctx = ctx || {};
    var account = ctx.account || null;
    var relink = !!account;
    // The session's own account is named by the session; an existing account is named by the request.
    var accountId = account && !ctx.sessionAccount ? account.id : null;
    var values = {};
    Object.keys(relink ? account.values || {} : {}).forEach(function (k) { values[k] = account.values[k]; });
    Object.keys(ctx.carried || {}).forEach(function (k) { values[k] = ctx.carried[k]; });
    var name = nameOf(connector);
    var options = authOptions(connector);
    var option = options.filter(function (o) { return o.kind === ctx.kind; })[0] || options[0];
    var kind = option.kind;
    var consent = kind === 'oauth2_authorization_code';
    var fields = (option.fields || []).map(function (f) {
      var field = {};
      Object.keys(f.field || {}).forEach(function (k) { field[k] = f.field[k]; });
      field.required = f.required !== false;
      field.platform = !!f.platform;
      return field;
    });
    var inputs = {};
    var errors = {};
    var fieldNodes = {};

    var banner = el('div', { 'class': 'banner', id: 'form-banner', role: 'alert', hidden: true });
    var status = el('p', { 'class': 'status', role: 'status', 'aria-live': 'polite' });
    var buttonText = el('span', null, idleLabel());
    var spinner = el('span', { 'class': 'spinner', 'aria-hidden': 'true', hidden: true });
    var submit = el('button', { type: 'submit', 'class': 'button', id: 'submit' }, spinner, buttonText);

    function idleLabel() {
      return t(consent ? 'button.continue' : relink ? 'button.reconnect' : 'button.connect', { name: name });
    }

    function labelOf(field) {
      return field.label || field.key;
    }

    var againNotes = [];
    var fieldBlocks = fields.map(function (field) {
      var id = 'field-' + field.key;
      var helpId = id + '-help';
      var errorId = id + '-error';
      var isKey = KEY_FIELDS.indexOf(field.key) >= 0;
      var input = el(isKey ? 'textarea' : 'input', {
        id: id,
        name: field.key,
        type: isKey ? null : field.secret ? 'password' : field.type === 'url' ? 'url' : 'text',
        rows: isKey ? 5 : null,
        inputmode: field.type === 'url' ? 'url' : null,
        autocomplete: 'off',
        autocapitalize: 'off',
        autocorrect: 'off',
        spellcheck: 'false',
        required: field.required,
        'aria-required': field.required ? 'true' : null,
        'aria-describedby': field.help ? helpId : null,
        placeholder: isKey ? t('field.key_placeholder')
          : field.secret ? t('field.secret_placeholder', { label: (field.label || 'token').toLowerCase() })
          : field.example ? t('field.example', { example: field.example }) : field.required ? null : t('field.optional'),
        'data-1p-ignore': field.secret ? 'true' : null
      });
      if (!field.secret && values[field.key]) input.value = values[field.key];
      inputs[field.key] = input;
      var control = el('div', { 'class': 'control' + (field.secret && !isKey ? ' secret' : '') + (isKey ? ' key' : '') }, input);
      if (isKey) {
        // Read in the browser: the file's text goes in the box, and only the form's submit sends it (to Keyline).
        var file = el('input', { type: 'file', id: 'file-' + field.key, 'class': 'file',
          accept: '.json,.pem,.key,application/json,text/plain',
          'aria-label': t('field.file', { label: (field.label || 'key').toLowerCase() }) });
        file.addEventListener('change', function () {
          var chosen = file.files && file.files[0];
          if (!chosen) return;
          chosen.text().then(function (text) { input.value = text; }, function () {
            setError(field.key, t('field.file_unreadable'));
          });
        });
        control = el('div', null, control, el('div', { 'class': 'file-row' }, file));
      } else if (field.secret) {
        var secretName = (field.label || 'secret').toLowerCase();
        var toggle = el('button', {
          type: 'button',
          'class': 'toggle',
          'aria-controls': id,
          'aria-pressed': 'false',
          'aria-label': t('toggle.show_label', { label: secretName })
        }, t('toggle.show'));
        toggle.addEventListener('click', function () {
          var showing = input.type === 'text';
          input.type = showing ? 'password' : 'text';
          toggle.textContent = t(showing ? 'toggle.show' : 'toggle.hide');
          toggle.setAttribute('aria-pressed', String(!showing));
          toggle.setAttribute('aria-label', t(showing ? 'toggle.show_label' : 'toggle.hide_label', { label: secretName }));
        });
        control.appendChild(toggle);
      }
      var error = el('p', { 'class': 'field-error', id: errorId, hidden: true });
      errors[field.key] = error;
      // Keyline never sends a stored secret to a new address: when a field that decides where requests go is
      // edited, the secrets must be pasted again, and the form says so beside them.
      var again = field.secret && relink
        ? el('p', { 'class': 'help again', id: id + '-again', hidden: true, 'aria-live': 'polite' }) : null;
      if (again) againNotes.push({ key: field.key, node: again });
      var block = el('div', { 'class': 'field', 'data-field': field.key },
        el('label', { 'for': id }, labelOf(field)),
        field.help ? el('p', { 'class': 'help', id: helpId, lang: 'en' }, richText(field.help)) : null,
        control,
        again,
        error);
      fieldNodes[field.key] = block;
      return block;
    });

    function routingEdited() {
      return fields.filter(function (f) {
        return f.routing && inputs[f.key].value.trim() !== (values[f.key] || '').trim();
      });
    }

    function updateAgainNotes() {
      var edited = routingEdited();
      againNotes.forEach(function (note) {
        var secret = fields.filter(function (f) { return f.key === note.key; })[0];
        note.node.textContent = edited.length
          ? t('field.again', {
            fields: edited.map(labelOf).join(t('list.and')),
            secret: (secret.label || secret.key).toLowerCase()
          })
          : '';
        note.node.hidden = !edited.length;
      });
    }

    if (relink) {
      fields.forEach(function (f) {
        if (f.routing) inputs[f.key].addEventListener('input', updateAgainNotes);
      });
    }

    /** The non-secret values typed so far, kept when another kind is chosen. */
    function typed() {
      var out = {};
      fields.forEach(function (f) {
        if (!f.secret && inputs[f.key].value.trim()) out[f.key] = inputs[f.key].value;
      });
      return out;
    }

    var switcher = null;
    if (options.length > 1) {
      var tabs = options.map(function (o) {
        var selected = o.kind === kind;
        return el('button', {
          type: 'button',
          role: 'tab',
          'class': 'kind',
          id: 'kind-' + o.kind,
          'data-auth-kind': o.kind,
          'aria-selected': String(selected),
          'aria-controls': 'kind-panel',
          tabindex: selected ? '0' : '-1',
          onclick: function () { chooseKind(o.kind); }
        }, kindLabel(o.kind, name));
      });
      switcher = el('div', { 'class': 'kinds', role: 'tablist', 'aria-label': t('kinds.label', { name: name }) }, tabs);
      // Arrow keys move between the kinds (the ARIA tabs pattern); each choice redraws the form.
      switcher.addEventListener('keydown', function (event) {
        var at = options.map(function (o) { return o.kind; }).indexOf(kind);
        var next = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? at + 1
          : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? at - 1
          : event.key === 'Home' ? 0 : event.key === 'End' ? options.length - 1 : null;
        if (next === null) return;
        event.preventDefault();
        chooseKind(options[(next + options.length) % options.length].kind);
      });
    }

    function chooseKind(wire) {
      if (wire === kind || submit.disabled) return;
      showForm(connector, { account: account, sessionAccount: ctx.sessionAccount, kind: wire, carried: typed() });
      var tab = document.getElementById('kind-' + wire);
      if (tab) tab.focus();
    }

    var docs = (connector.docs || []).length ? el('div', { 'class': 'docs-block' },
      el('h2', { id: 'docs-title' }, t('docs.title')),
      el('ul', { 'class': 'docs', 'aria-labelledby': 'docs-title', lang: 'en' },
        connector.docs.map(function (doc) {
          return el('li', null,
            el('a', { href: doc.url, target: '_blank', rel: 'noopener noreferrer' }, doc.title));
        }))) : null;

    var another = relink && !ctx.sessionAccount && session.new_account
      ? el('div', { 'class': 'actions' }, el('button', { type: 'button', 'class': 'button secondary', id: 'connect-another',
        onclick: function () { showForm(connector, { fresh: true }); } }, t('existing.another', { name: name })))
      : null;

    var form = el('form', { novalidate: true, id: 'connect-form', 'aria-labelledby': 'form-title',
      'data-auth-kind': kind, 'data-account-id': accountId },
      fieldBlocks, banner,
      el('div', { 'class': 'actions' }, submit, status));
    // A form may not be a tabpanel itself (ARIA in HTML): the panel wraps it.
    var panel = switcher ? el('div', { role: 'tabpanel', id: 'kind-panel', 'aria-labelledby': 'kind-' + kind }, form) : form;

    var firstKey = fields.length ? fields[0].key : null;
    var how = display === 'redirect' ? 'intro.redirect' : 'intro.popup';
    var intro = consent
      ? (relink ? t('intro.consent_relink', { name: name }) : tk('intro.connect', { tenant: tenant(), name: name }))
        + ' ' + t(how, { name: name })
      : relink
        ? t('intro.relink_fields', { secret: secretLabel(fields) })
        : tk('intro.connect', { tenant: tenant(), name: name });

    var screen = el('section', { 'class': 'screen', id: 'screen-form', 'data-mode': relink ? 'relink' : 'link',
      'data-provider': connector.id },
      backToPicker(),
      el('div', { 'class': 'provider' },
        providerMark(connector),
        el('div', null,
          el('h1', { id: 'form-title' }, t(relink ? 'title.reconnect' : 'title.connect', { name: name })),
          el('p', null, intro))),
      switcher,
      // Someone re-linking has been through the setup before: the form comes first for them.
      relink ? panel : null,
      relink ? another : null,
      (connector.setup_help || []).length ? setupHelp(connector.setup_help, name)
        : connector.description ? el('p', { 'class': 'lead', lang: 'en' }, connector.description) : null,
      relink ? null : panel,
      docs);

    function setError(key, message) {
      var error = errors[key];
      var block = fieldNodes[key];
      var input = inputs[key];
      error.replaceChildren();
      append(error, richText(message));
      error.hidden = false;
      block.classList.add('invalid');
      input.setAttribute('aria-invalid', 'true');
      var describedBy = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (describedBy.indexOf(error.id) < 0) describedBy.unshift(error.id);
      input.setAttribute('aria-describedby', describedBy.join(' '));
    }

    function clearErrors() {
      banner.hidden = true;
      banner.replaceChildren();
      banner.removeAttribute('data-code');
      Object.keys(errors).forEach(function (key) {
        errors[key].hidden = true;
        errors[key].replaceChildren();
        fieldNodes[key].classList.remove('invalid');
        inputs[key].removeAttribute('aria-invalid');
        var describedBy = (inputs[key].getAttribute('aria-describedby') || '').split(' ')
          .filter(function (id) { return id && id !== errors[key].id; });
        if (describedBy.length) inputs[key].setAttribute('aria-describedby', describedBy.join(' '));
        else inputs[key].removeAttribute('aria-describedby');
      });
    }

    function showBanner(code, message) {
      banner.replaceChildren();
      append(banner, richText(message));
      if (code) banner.setAttribute('data-code', code);
      banner.hidden = false;
      submit.focus();
    }

    function setBusy(busy) {
      submit.disabled = busy;
      spinner.hidden = !busy;
      var waiting = consent ? (display === 'redirect' ? 'redirect' : 'consent') : 'check';
      buttonText.textContent = !busy ? idleLabel() : t('busy.' + waiting, { name: name });
      status.textContent = !busy ? ''
        : waiting === 'check' ? tk('status.check', { name: name }) : t('status.' + waiting, { name: name });
      Object.keys(inputs).forEach(function (key) { inputs[key].readOnly = busy; });
      form.setAttribute('aria-busy', String(busy));
    }

    function succeeded(result) {
      keepToken(false);
      showSuccess(connector, result, relink);
      post('success', { account_id: result.account_id, provider: result.provider });
    }

    function failed(problem, status) {
      setBusy(false);
      var gone = sessionGone(problem);
      var text = problemText(problem, connector);
      postError(problem.code || 'http_' + status, problem.detail || text || '', gone);
      if (gone) {
        showExpired(problem.code);
        return;
      }
      if (problem.code === 'account_exists') {
        accountExists(connector, problem, text);
        return;
      }
      var key = String(problem.field || '').replace(/^(credentials|values)\./, '');
      if (!inputs[key] && Array.isArray(problem.errors) && problem.errors.length) {
        key = String(problem.errors[0].field || '').replace(/^(credentials|values)\./, '');
      }
      var message = text || t('error.generic');
      if (inputs[key]) {
        var field = fields.filter(function (f) { return f.key === key; })[0];
        // A wrong secret is no use to keep; everything else stays as typed, to be corrected.
        if (field && field.secret) inputs[key].value = '';
        setError(key, message);
        inputs[key].focus();
      } else {
        showBanner(problem.code, status >= 500 && !problem.detail && !problem.message_code ? t('error.server') : message);
      }
    }

    function unreachable() {
      setBusy(false);
      postError('unreachable', '', false);
      showBanner('unreachable', tk('unreachable'));
    }

    function oauthRequest(given) {
      var body = { provider: connector.id, values: given, display: display };
      if (accountId) body.account_id = accountId;
      return api('POST', 'session/oauth', body);
    }

    /** Consent in this window: the page goes to the provider, whose callback page finishes the flow. */
    function consentHere(given) {
      setBusy(true);
      oauthRequest(given).then(function (response) {
        if (!response.ok) return readProblem(response).then(function (problem) { failed(problem, response.status); });
        return response.json().then(function (result) {
          keepToken(true);
          location.assign(result.authorize_url);
        });
      }).catch(unreachable);
    }

    /**
     * The sign-in window: opened now, while the click still counts as the person's (so pop-up blockers allow it),
     * and sent to the provider once Keyline has answered with the address. Its callback page tells us the outcome.
     */
    function consentIn(given) {
      var popup = window.open('', 'keyline-oauth', 'width=520,height=680');
      if (!popup) {
        postError('popup_blocked', t('error.popup_blocked'), false);
        showBanner('popup_blocked', t('error.popup_blocked'));
        return;
      }
      setBusy(true);
      oauthRequest(given).then(function (response) {
        if (!response.ok) {
          popup.close();
          return readProblem(response).then(function (problem) { failed(problem, response.status); });
        }
        return response.json().then(function (result) {
          popup.location.href = result.authorize_url;
          watch(popup);
        });
      }).catch(function () {
        popup.close();
        unreachable();
      });
    }

    function watch(popup) {
      var answered = false;
      function done() {
        answered = true;
        clearInterval(timer);
        window.removeEventListener('message', onMessage);
      }
      function onMessage(event) {
        if (event.origin !== location.origin || event.source !== popup) return;
        var message = event.data;
        if (!message || typeof message !== 'object' || message.source !== 'keyline-oauth') return;
        done();
        if (message.type === 'success') {
          succeeded({ account_id: message.account_id, provider: message.provider });
        } else {
          failed(oauthProblem(message.code, message.message, name), 400);
        }
      }
      window.addEventListener('message', onMessage);
      var timer = setInterval(function () {
        if (!popup.closed) return;
        clearInterval(timer);
        // The callback posts before it closes; give its message a moment to arrive before calling it cancelled.
        setTimeout(function () {
          if (answered) return;
          done();
          failed({ code: 'oauth_cancelled', detail: t('error.oauth_cancelled', { name: name }) }, 400);
        }, 500);
      }, 400);
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (submit.disabled) return;
      clearErrors();
      var missing = fields.filter(function (f) { return f.required && !inputs[f.key].value.trim(); });
      if (missing.length) {
        missing.forEach(function (f) { setError(f.key, t('field.required', { label: labelOf(f) })); });
        inputs[missing[0].key].focus();
        return;
      }
      var credentials = {};
      fields.forEach(function (f) {
        if (inputs[f.key].value.trim() || f.required) credentials[f.key] = inputs[f.key].value;
      });
      if (consent) {
        if (display === 'redirect') consentHere(credentials);
        else consentIn(credentials);
        return;
      }
      setBusy(true);
      var body = { provider: connector.id, credentials: credentials };
      if (connector.auth_options && connector.auth_options.length) body.auth_kind = kind;
      if (accountId) body.account_id = accountId;
      api('POST', 'session/link', body).then(function (response) {
        if (response.ok) return response.json().then(succeeded);
        return readProblem(response).then(function (problem) { failed(problem, response.status); });
      }).catch(unreachable);
    });

    show(screen, relink && !consent && secretKey(fields) ? inputs[secretKey(fields)] : firstKey ? inputs[firstKey] : null);
    if (ctx.note) showBanner(ctx.note.code, ctx.note.message);
  }

  /** The callback's outcome as a problem the form explains: declined, closed, or the provider's own error. */
  function oauthProblem(code, message, name) {
    if (code === 'access_denied' || code === 'oauth_cancelled') {
      return { code: code, detail: t('error.' + code, { name: name }) };
    }
    var text = problemText({ code: code, message_code: code, detail: message });
    // The provider's own words are English; in another language say what happened, in that language.
    if (lang !== 'en' && text === message && /^(auth\.|oauth_)/.test(code || '')) text = null;
    return { code: code || 'oauth_failed', detail: text || t('error.oauth_failed', { name: name }) };
  }

  /** 409 account_exists: the owner has this provider already; show that account's reconnect form. */
  function accountExists(connector, problem, text) {
    var note = { code: 'account_exists', message: text || t('error.account_exists', { name: nameOf(connector) }) };
    var known = existingFor(connector).filter(function (a) { return a.id === problem.account_id; })[0];
    if (known) { showForm(connector, { account: known, note: note }); return; }
    // The page's list is older than the account: read the session again, then reconnect that one.
    api('GET', sessionQuery()).then(function (response) {
      if (!response.ok) throw new Error('session');
      return response.json();
    }).then(function (body) {
      session.existing_accounts = body.existing_accounts || [];
      var found = existingFor(connector).filter(function (a) { return a.id === problem.account_id; })[0];
      if (found) showForm(connector, { account: found, note: note });
      else choose(connector, note);
    }).catch(function () {
      choose(connector, note);
    });
  }

  function secretKey(fields) {
    var secret = fields.filter(function (f) { return f.secret; })[0];
    return secret ? secret.key : null;
  }

  function secretLabel(fields) {
    var secret = fields.filter(function (f) { return f.secret; })[0];
    return secret ? (secret.label || t('intro.relink_secret')).toLowerCase() : t('intro.relink_secret');
  }

  function doneButton(label) {
    return hostWindow ? el('div', { 'class': 'actions' },
      el('button', { type: 'button', 'class': 'button', id: 'done', onclick: requestClose }, label)) : null;
  }

  /** On a hosted page: a link back to the tenant with the outcome (followed by itself after a moment). */
  function returnLink(status, extra) {
    if (!hostedReturn()) return null;
    return el('div', { 'class': 'actions' },
      el('a', { 'class': 'button', id: 'return', href: returnUrl(status, extra) }, t('success.return', { tenant: tenant() })));
  }

  function showSuccess(connector, result, relink) {
    var name = nameOf(connector);
    var back = hostedReturn();
    show(el('section', { 'class': 'screen outcome ok', id: 'screen-success', 'data-account-id': result.account_id },
      el('div', { 'class': 'mark' }, icon(['M5 12.5l4.5 4.5L19 7.5'])),
      el('h1', null, t(relink ? 'success.title_relink' : 'success.title', { name: name })),
      el('p', null, back ? t('success.returning', { tenant: tenant() }) : t('success.body', { tenant: tenant(), name: name })),
      result.validation_summary ? el('p', { 'class': 'small', lang: 'en' }, result.validation_summary) : null,
      doneButton(t('done')),
      returnLink('success', { keyline_account_id: result.account_id })));
    // Long enough to read the confirmation; the link is there for the impatient.
    if (back) setTimeout(function () { location.assign(returnUrl('success', { keyline_account_id: result.account_id })); }, 1500);
  }

  function showExpired(code) {
    keepToken(false);
    var used = code === 'session_used';
    show(el('section', { 'class': 'screen outcome expired', id: 'screen-expired', 'data-code': code || '' },
      el('div', { 'class': 'mark' }, icon(['M12 7v5l3 2', 'M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z'])),
      el('h1', null, t(used ? 'used.title' : code === 'session_invalid' && !session ? 'invalid.title' : 'expired.title')),
      el('p', null, t('expired.body', { tenant: tenant() })),
      doneButton(t('close')),
      returnLink('error', { keyline_error: code })));
  }

  function showTrouble(message) {
    show(el('section', { 'class': 'screen outcome', id: 'screen-trouble' },
      el('h1', null, t('trouble.title')),
      el('p', null, richText(message || t('trouble.body'))),
      el('div', { 'class': 'actions' },
        el('button', { type: 'button', 'class': 'button', onclick: load }, t('trouble.retry')))));
  }

  function showStandaloneNotice() {
    show(el('section', { 'class': 'screen outcome expired', id: 'screen-standalone' },
      el('h1', null, t('standalone.title', { tenant: tenant() })),
      el('p', null, t('standalone.body', { tenant: tenant() }))));
  }

  // ---------------------------------------------------------------- start

  if (!framed) document.body.classList.add('standalone');
  chooseLanguage();
  if (pageState !== 'session') {
    showExpired('session_invalid');
  } else if (fragmentToken || storedToken) {
    token = fragmentToken || storedToken;
    if (hostWindow) closeButton.hidden = false;
    load();
  } else if (!hostWindow) {
    showStandaloneNotice();
  } else {
    post('ready');
    waitTimer = setTimeout(function () {
      var text = main.querySelector('#screen-loading p');
      if (text) text.textContent = t('waiting', { tenant: tenant() });
    }, 10000);
  }

  // For the browser tests and for people debugging an embed: which language and appearance won.
  root.setAttribute('data-display', display);
})();
