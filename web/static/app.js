// Podlens browser glue: no framework, no inline script (the CSP forbids it).
// htmx and its ws extension do the live updates; this file only handles what
// they do not: relative websocket URLs, reconnecting after a server-side
// close, the connection indicator, copy buttons, "/" to search, and the
// iframe height in embed mode.
(function () {
  'use strict';

  // Resolve the relative ws-connect URL against the page, so the dashboard
  // works behind any path prefix, proxy or kubectl port-forward.
  if (window.htmx) {
    htmx.createWebSocket = function (url) {
      var u = new URL(url, document.baseURI);
      u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
      var sock = new WebSocket(u.href);
      sock.binaryType = htmx.config.wsBinaryType || 'blob';
      return sock;
    };
  }

  // The dashboard stores nothing in the browser: no cookies, no
  // localStorage. htmx notes the current path in sessionStorage when it
  // loads, for a history feature the dashboard does not use (history is off
  // in the htmx-config meta tag); take it back.
  try { window.sessionStorage.removeItem('htmx-current-path-for-history'); } catch (e) { /* storage disabled */ }

  function label(name) {
    return document.body.getAttribute('data-label-' + name) || name;
  }

  function setState(state) {
    var el = document.getElementById('ws-state');
    if (!el) return;
    el.setAttribute('data-state', state);
    el.textContent = label(state);
  }

  var retries = 0;
  var reconnecting = null;

  document.addEventListener('htmx:wsConnecting', function () {
    if (retries > 0) setState('reconnecting');
  });
  document.addEventListener('htmx:wsOpen', function () {
    retries = 0;
    setState('live');
  });
  document.addEventListener('htmx:wsClose', function (evt) {
    setState('reconnecting');
    var code = evt.detail && evt.detail.event ? evt.detail.event.code : 0;
    retries++;
    // The extension reconnects by itself only after 1006/1011/1012/1013. The
    // server closes slow viewers with 1008 and says 1001 when it restarts:
    // reconnect then too, with full-jitter back-off, to get a fresh snapshot.
    if ([1006, 1011, 1012, 1013].indexOf(code) >= 0) return;
    var wrapper = evt.detail && evt.detail.socketWrapper;
    if (!wrapper || reconnecting) return;
    var delay = Math.random() * 1000 * Math.pow(2, Math.min(retries, 6));
    reconnecting = setTimeout(function () {
      reconnecting = null;
      wrapper.reconnect();
    }, delay);
  });

  // "/" focuses the search box, as on most dashboards.
  document.addEventListener('keydown', function (evt) {
    if (evt.key !== '/' || evt.ctrlKey || evt.metaKey || evt.altKey) return;
    var t = evt.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var q = document.getElementById('q');
    if (q) {
      evt.preventDefault();
      q.focus();
      q.select();
    }
  });

  // Copy buttons for kubectl commands.
  function fallbackCopy(text) {
    var ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.className = 'offscreen';
    document.body.appendChild(ta);
    ta.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing else to try */ }
    document.body.removeChild(ta);
  }
  document.addEventListener('click', function (evt) {
    var btn = evt.target.closest && evt.target.closest('button.copy');
    if (!btn) return;
    var text = btn.getAttribute('data-copy') || '';
    var done = function () {
      var old = btn.textContent;
      btn.textContent = label('copied');
      btn.setAttribute('data-copied', 'true');
      setTimeout(function () { btn.textContent = old; btn.removeAttribute('data-copied'); }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  });

  // Embed mode: tell the parent frame our height, only to allowed origins.
  function postHeight() {
    if (window.parent === window) return;
    var origins = (document.body.getAttribute('data-frame-origins') || '').split(/\s+/);
    // Measure the content, not the document: inside a frame the root's
    // scrollHeight is at least the frame's own height, so the frame could
    // grow but never shrink back. The body has no margin (app.css).
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    origins.forEach(function (o) {
      if (!o) return;
      if (o === "'self'") o = window.location.origin;
      if (!/^https?:\/\/[^*]+$/.test(o)) return;
      try { window.parent.postMessage({ type: 'podlens:height', height: height }, o); } catch (e) { /* bad origin */ }
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    if (document.body.getAttribute('data-embed') !== 'true') return;
    postHeight();
    if (window.ResizeObserver) new ResizeObserver(postHeight).observe(document.body);
  });
})();
