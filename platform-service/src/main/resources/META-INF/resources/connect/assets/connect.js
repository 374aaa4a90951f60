/*
 * Keyline connect page. It talks to two parties only: Keyline's session API (same origin) and its host page,
 * which must be one of the tenant's allowed origins (given by the server in data-origins). The session token
 * arrives from the host by postMessage after our "ready"; it is never read from the URL.
 */
(function () {
  'use strict';

  var root = document.documentElement;
  var allowed = parseOrigins(root.getAttribute('data-origins'));
  var sessionId = root.getAttribute('data-session') || '';
  var pageState = root.getAttribute('data-state');
  var tenantName = root.getAttribute('data-tenant') || '';
  var main = document.getElementById('main');
  var closeButton = document.getElementById('close');
  var framed = window.parent !== window;
  // A reconnect link opened on its own carries the session token in the fragment (never sent to a server).
  var fragmentToken = framed ? null : readFragmentToken();
  var hostWindow = framed ? window.parent : fragmentToken ? null : window.opener;
  var hostOrigin = null;
  var token = null;
  var session = null;
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
    return tenantName || 'the app that sent you here';
  }

  // ---------------------------------------------------------------- talking to the host page

  function readFragmentToken() {
    var match = /^#token=([A-Za-z0-9_\-.~]+)$/.exec(location.hash || '');
    if (!match) return null;
    // Out of the address bar, the history and any bookmark at once.
    try { history.replaceState(null, '', location.pathname + location.search); } catch (e) { /* keep going */ }
    return match[1];
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

  window.addEventListener('message', function (event) {
    if (!hostWindow || event.source !== hostWindow) return;
    if (allowed.indexOf(event.origin) < 0) return;
    if (hostOrigin && event.origin !== hostOrigin) return;
    var message = event.data;
    if (!message || typeof message !== 'object' || message.source !== 'keyline-host') return;
    if (message.type === 'token' && typeof message.token === 'string' && message.token && !token) {
      hostOrigin = event.origin;
      token = message.token;
      clearTimeout(waitTimer);
      closeButton.hidden = false;
      load();
    }
  });

  function requestClose() {
    post('close');
  }

  closeButton.addEventListener('click', requestClose);
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && hostOrigin) requestClose();
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

  function load() {
    show(loadingScreen('Loading…'));
    api('GET', 'session').then(function (response) {
      if (!response.ok) {
        return readProblem(response).then(function (problem) {
          post('error', { code: problem.code || 'http_' + response.status, message: problem.detail || '' });
          if (sessionGone(problem)) showExpired(problem.code);
          else showTrouble(problem.detail);
        });
      }
      return response.json().then(function (body) {
        session = body;
        if (session.tenant_name) {
          tenantName = session.tenant_name;
          renderTenant();
        }
        var connectors = session.connectors || [];
        if (session.account) {
          var linked = connectors.filter(function (c) { return c.id === session.account.provider; })[0];
          if (linked) { showForm(linked); return; }
        }
        if (connectors.length === 1) showForm(connectors[0]);
        else if (connectors.length > 1) showPicker(connectors);
        else showTrouble('No provider can be connected with this link.');
      });
    }).catch(function () {
      showTrouble('Keyline could not be reached. Check your connection and try again.');
    });
  }

  // ---------------------------------------------------------------- screens

  function loadingScreen(text) {
    return el('section', { 'class': 'screen', id: 'screen-loading', 'aria-busy': 'true' },
      el('div', { 'class': 'spinner spinner-large', 'aria-hidden': 'true' }),
      el('p', { 'class': 'muted', role: 'status' }, text));
  }

  function providerMark(connector) {
    var name = connector.display_name || connector.id;
    var words = name.split(/\s+/).filter(Boolean);
    var initials = /^\d/.test(name) ? name.replace(/[^0-9A-Za-z]/g, '').slice(0, 2)
      : words.length > 1 ? words[0][0] + words[1][0] : name.slice(0, 2);
    return el('div', { 'class': 'provider-logo', 'aria-hidden': 'true' }, initials.toUpperCase());
  }

  function showPicker(connectors) {
    var screen = el('section', { 'class': 'screen', id: 'screen-picker' },
      el('h1', null, 'Choose what to connect'),
      el('p', { 'class': 'muted' }, tenant() + ' asks you to connect one of these.'),
      el('div', { 'class': 'choices' }, connectors.map(function (c) {
        return el('button', { type: 'button', 'class': 'choice', onclick: function () { showForm(c); } },
          providerMark(c), el('span', null, c.display_name || c.id));
      })));
    show(screen);
  }

  /**
   * Setup help. "Title: text" paragraphs are the ways a provider can be set up (for 1Password: hosted
   * provisioning or a self-hosted SCIM bridge); each becomes a card that opens to say where to find what.
   * Untitled paragraphs before them introduce, after them are notes.
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
    return el('div', { 'class': 'help-block' },
      intro,
      cards.length ? el('h2', null, 'Which ' + name + ' setup do you have?') : null,
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
    switch (kind) {
      case 'oauth2_authorization_code': return 'Sign in with ' + name;
      case 'oauth2_client_credentials': return 'Client credentials';
      case 'jwt_bearer': return 'Service account';
      default: return 'Enter credentials';
    }
  }

  // Keys, not one-line secrets: pasted or read from the downloaded file.
  var KEY_FIELDS = ['service_account_key', 'private_key'];

  function showForm(connector, kindWire, carried) {
    var relink = !!session.account;
    var values = {};
    Object.keys(relink ? session.account.values || {} : {}).forEach(function (k) { values[k] = session.account.values[k]; });
    Object.keys(carried || {}).forEach(function (k) { values[k] = carried[k]; });
    var name = connector.display_name || connector.id;
    var options = authOptions(connector);
    var option = options.filter(function (o) { return o.kind === kindWire; })[0] || options[0];
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
      return consent ? 'Continue with ' + name : relink ? 'Reconnect ' + name : 'Connect ' + name;
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
        placeholder: isKey ? 'Paste the key, or choose its file below'
          : field.secret ? 'Paste your ' + (field.label || 'token').toLowerCase()
          : field.example ? 'e.g. ' + field.example : field.required ? null : 'Optional',
        'data-1p-ignore': field.secret ? 'true' : null
      });
      if (!field.secret && values[field.key]) input.value = values[field.key];
      inputs[field.key] = input;
      var control = el('div', { 'class': 'control' + (field.secret && !isKey ? ' secret' : '') + (isKey ? ' key' : '') }, input);
      if (isKey) {
        // Read in the browser: the file's text goes in the box, and only the form's submit sends it.
        var file = el('input', { type: 'file', id: 'file-' + field.key, 'class': 'file',
          accept: '.json,.pem,.key,application/json,text/plain', 'aria-label': 'Choose the ' + (field.label || 'key').toLowerCase() + ' file' });
        file.addEventListener('change', function () {
          var chosen = file.files && file.files[0];
          if (!chosen) return;
          chosen.text().then(function (text) { input.value = text; }, function () {
            setError(field.key, 'That file could not be read.');
          });
        });
        control = el('div', null, control, el('div', { 'class': 'file-row' }, file));
      } else if (field.secret) {
        var toggle = el('button', {
          type: 'button',
          'class': 'toggle',
          'aria-controls': id,
          'aria-pressed': 'false',
          'aria-label': 'Show ' + (field.label || 'secret').toLowerCase()
        }, 'Show');
        toggle.addEventListener('click', function () {
          var showing = input.type === 'text';
          input.type = showing ? 'password' : 'text';
          toggle.textContent = showing ? 'Show' : 'Hide';
          toggle.setAttribute('aria-pressed', String(!showing));
          toggle.setAttribute('aria-label', (showing ? 'Show ' : 'Hide ') + (field.label || 'secret').toLowerCase());
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
        el('label', { 'for': id }, field.label || field.key),
        field.help ? el('p', { 'class': 'help', id: helpId }, richText(field.help)) : null,
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
          ? 'You changed the ' + edited.map(function (f) { return f.label || f.key; }).join(' and ')
            + ': paste the ' + (secret.label || secret.key).toLowerCase() + ' for the new address as well.'
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
          'aria-controls': 'connect-form',
          tabindex: selected ? '0' : '-1',
          onclick: function () { choose(o.kind); }
        }, kindLabel(o.kind, name));
      });
      switcher = el('div', { 'class': 'kinds', role: 'tablist', 'aria-label': 'How to connect ' + name }, tabs);
      // Arrow keys move between the kinds (the ARIA tabs pattern); each choice redraws the form.
      switcher.addEventListener('keydown', function (event) {
        var at = options.map(function (o) { return o.kind; }).indexOf(kind);
        var next = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? at + 1
          : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? at - 1
          : event.key === 'Home' ? 0 : event.key === 'End' ? options.length - 1 : null;
        if (next === null) return;
        event.preventDefault();
        choose(options[(next + options.length) % options.length].kind);
      });
    }

    function choose(wire) {
      if (wire === kind || submit.disabled) return;
      showForm(connector, wire, typed());
      var tab = document.getElementById('kind-' + wire);
      if (tab) tab.focus();
    }

    var docs = (connector.docs || []).length ? el('div', { 'class': 'docs-block' },
      el('h2', { id: 'docs-title' }, 'Learn more'),
      el('ul', { 'class': 'docs', 'aria-labelledby': 'docs-title' },
        connector.docs.map(function (doc) {
          return el('li', null,
            el('a', { href: doc.url, target: '_blank', rel: 'noopener noreferrer' }, doc.title));
        }))) : null;

    var form = el('form', { novalidate: true, id: 'connect-form', 'aria-labelledby': 'form-title',
      'data-auth-kind': kind, role: switcher ? 'tabpanel' : null },
      fieldBlocks, banner,
      el('div', { 'class': 'actions' }, submit, status));

    var firstKey = fields.length ? fields[0].key : null;
    var intro = consent
      ? (relink ? 'Sign in at ' + name + ' again to reconnect.'
        : tenant() + ' uses Keyline to connect to ' + name + '.') + ' You sign in at ' + name + ' in a new window.'
      : relink
        ? 'Paste a new ' + secretLabel(fields) + ' to reconnect. The rest is filled in from your current connection.'
        : tenant() + ' uses Keyline to connect to ' + name + '.';

    var screen = el('section', { 'class': 'screen', id: 'screen-form', 'data-mode': relink ? 'relink' : 'link' },
      el('div', { 'class': 'provider' },
        providerMark(connector),
        el('div', null,
          el('h1', { id: 'form-title' }, relink ? 'Reconnect ' + name : 'Connect ' + name),
          el('p', null, intro))),
      switcher,
      // Someone re-linking has been through the setup before: the form comes first for them.
      relink ? form : null,
      (connector.setup_help || []).length ? setupHelp(connector.setup_help, name)
        : connector.description ? el('p', { 'class': 'lead' }, connector.description) : null,
      relink ? null : form,
      docs);

    function setError(key, message) {
      var error = errors[key];
      var block = fieldNodes[key];
      var input = inputs[key];
      error.textContent = message;
      error.hidden = false;
      block.classList.add('invalid');
      input.setAttribute('aria-invalid', 'true');
      var describedBy = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (describedBy.indexOf(error.id) < 0) describedBy.unshift(error.id);
      input.setAttribute('aria-describedby', describedBy.join(' '));
    }

    function clearErrors() {
      banner.hidden = true;
      banner.textContent = '';
      banner.removeAttribute('data-code');
      Object.keys(errors).forEach(function (key) {
        errors[key].hidden = true;
        errors[key].textContent = '';
        fieldNodes[key].classList.remove('invalid');
        inputs[key].removeAttribute('aria-invalid');
        var describedBy = (inputs[key].getAttribute('aria-describedby') || '').split(' ')
          .filter(function (id) { return id && id !== errors[key].id; });
        if (describedBy.length) inputs[key].setAttribute('aria-describedby', describedBy.join(' '));
        else inputs[key].removeAttribute('aria-describedby');
      });
    }

    function showBanner(code, message) {
      banner.textContent = message;
      if (code) banner.setAttribute('data-code', code);
      banner.hidden = false;
      submit.focus();
    }

    function setBusy(busy) {
      submit.disabled = busy;
      spinner.hidden = !busy;
      buttonText.textContent = !busy ? idleLabel()
        : consent ? 'Waiting for ' + name + '…' : 'Checking with ' + name + '…';
      status.textContent = !busy ? ''
        : consent ? 'Sign in at ' + name + ' in the window that opened.'
        : 'Keyline is checking these details with ' + name + '. This takes a few seconds.';
      Object.keys(inputs).forEach(function (key) { inputs[key].readOnly = busy; });
      form.setAttribute('aria-busy', String(busy));
    }

    function succeeded(result) {
      showSuccess(connector, result, relink);
      post('success', { account_id: result.account_id, provider: result.provider });
    }

    function failed(problem, status) {
      setBusy(false);
      post('error', { code: problem.code || 'http_' + status, message: problem.detail || '' });
      if (sessionGone(problem)) {
        showExpired(problem.code);
        return;
      }
      var key = String(problem.field || '').replace(/^(credentials|values)\./, '');
      if (!inputs[key] && Array.isArray(problem.errors) && problem.errors.length) {
        key = String(problem.errors[0].field || '').replace(/^(credentials|values)\./, '');
      }
      var message = problem.detail || 'That did not work. Check the details and try again.';
      if (inputs[key]) {
        var field = fields.filter(function (f) { return f.key === key; })[0];
        // A wrong secret is no use to keep; everything else stays as typed, to be corrected.
        if (field && field.secret) inputs[key].value = '';
        setError(key, message);
        inputs[key].focus();
      } else {
        showBanner(problem.code, status >= 500 && !problem.detail
          ? 'Something went wrong on our side. Try again in a moment.' : message);
      }
    }

    function unreachable() {
      setBusy(false);
      showBanner(null, 'Keyline could not be reached. Check your connection and try again.');
    }

    /**
     * The sign-in window: opened now, while the click still counts as the person's (so pop-up blockers allow it),
     * and sent to the provider once Keyline has answered with the address. Its callback page tells us the outcome.
     */
    function consentIn(given) {
      var popup = window.open('', 'keyline-oauth', 'width=520,height=680');
      if (!popup) {
        showBanner('popup_blocked', 'Your browser blocked the sign-in window. Allow pop-ups for this page and try again.');
        return;
      }
      setBusy(true);
      api('POST', 'session/oauth', { provider: connector.id, values: given }).then(function (response) {
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
          failed({ code: message.code, detail: message.message }, 400);
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
          setBusy(false);
          showBanner('oauth_cancelled', 'Sign-in was cancelled. Continue with ' + name + ' to try again.');
        }, 500);
      }, 400);
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (submit.disabled) return;
      clearErrors();
      var missing = fields.filter(function (f) { return f.required && !inputs[f.key].value.trim(); });
      if (missing.length) {
        missing.forEach(function (f) { setError(f.key, (f.label || f.key) + ' is required.'); });
        inputs[missing[0].key].focus();
        return;
      }
      var credentials = {};
      fields.forEach(function (f) {
        if (inputs[f.key].value.trim() || f.required) credentials[f.key] = inputs[f.key].value;
      });
      if (consent) {
        consentIn(credentials);
        return;
      }
      setBusy(true);
      var body = { provider: connector.id, credentials: credentials };
      if (connector.auth_options && connector.auth_options.length) body.auth_kind = kind;
      api('POST', 'session/link', body).then(function (response) {
        if (response.ok) return response.json().then(succeeded);
        return readProblem(response).then(function (problem) { failed(problem, response.status); });
      }).catch(unreachable);
    });

    show(screen, relink && !consent && secretKey(fields) ? inputs[secretKey(fields)] : firstKey ? inputs[firstKey] : null);
  }

  function secretKey(fields) {
    var secret = fields.filter(function (f) { return f.secret; })[0];
    return secret ? secret.key : null;
  }

  function secretLabel(fields) {
    var secret = fields.filter(function (f) { return f.secret; })[0];
    return secret ? (secret.label || 'token').toLowerCase() : 'credential';
  }

  function doneButton(label) {
    return hostOrigin ? el('div', { 'class': 'actions' },
      el('button', { type: 'button', 'class': 'button', id: 'done', onclick: requestClose }, label)) : null;
  }

  function showSuccess(connector, result, relink) {
    var name = connector.display_name || connector.id;
    show(el('section', { 'class': 'screen outcome ok', id: 'screen-success', 'data-account-id': result.account_id },
      el('div', { 'class': 'mark' }, icon(['M5 12.5l4.5 4.5L19 7.5'])),
      el('h1', null, relink ? name + ' is reconnected' : name + ' is connected'),
      el('p', null, tenant() + ' can now read your ' + name + ' directory. You can close this window.'),
      result.validation_summary ? el('p', { 'class': 'small' }, result.validation_summary) : null,
      doneButton('Done')));
  }

  function showExpired(code) {
    var used = code === 'session_used';
    show(el('section', { 'class': 'screen outcome expired', id: 'screen-expired', 'data-code': code || '' },
      el('div', { 'class': 'mark' }, icon(['M12 7v5l3 2', 'M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z'])),
      el('h1', null, used ? 'This link has already been used' : 'This link has expired'),
      el('p', null, 'For your security, connect links work once and only for a short time. Ask '
        + tenant() + ' for a new one: go back and start connecting again.'),
      doneButton('Close')));
  }

  function showTrouble(message) {
    show(el('section', { 'class': 'screen outcome', id: 'screen-trouble' },
      el('h1', null, 'Something went wrong'),
      el('p', null, message || 'The connect form could not be loaded.'),
      el('div', { 'class': 'actions' },
        el('button', { type: 'button', 'class': 'button', onclick: load }, 'Try again'))));
  }

  function showStandaloneNotice() {
    show(el('section', { 'class': 'screen outcome expired', id: 'screen-standalone' },
      el('h1', null, 'Open this from ' + tenant()),
      el('p', null, 'This page connects your account for ' + tenant()
        + ' and works only when opened from there. Go back and start connecting again.')));
  }

  function renderTenant() {
    document.getElementById('brand-for').textContent = tenantName;
    if (tenantName) {
      document.getElementById('footer-text').textContent =
        'Secured by Keyline. Your credentials are stored encrypted and never shown to ' + tenantName + '.';
    }
  }

  // ---------------------------------------------------------------- start

  if (!framed) document.body.classList.add('standalone');
  renderTenant();
  if (pageState !== 'session') {
    showExpired('session_invalid');
    main.querySelector('h1').textContent = 'This link is not valid';
  } else if (fragmentToken) {
    token = fragmentToken;
    load();
  } else if (!hostWindow) {
    showStandaloneNotice();
  } else {
    post('ready');
    waitTimer = setTimeout(function () {
      var text = main.querySelector('#screen-loading p');
      if (text) text.textContent = 'Still waiting for ' + tenant() + '. If nothing happens, close this and start again.';
    }, 10000);
  }
})();
