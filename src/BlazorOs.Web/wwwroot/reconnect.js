// Makes a lost connection recover by itself as soon as it can. blazor.web.js shows the banner in App.razor
// (#components-reconnect-modal) and retries on its own schedule; this adds what that schedule misses.
(() => {
  'use strict';
  const banner = () => document.getElementById('components-reconnect-modal');
  const isDown = () => {
    const list = banner()?.classList;
    return !!list && ['components-reconnect-show', 'components-reconnect-retrying', 'components-reconnect-failed']
      .some((name) => list.contains(name));
  };
  let attempt = null;
  const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
  // A few quick tries: the first may race blazor.web.js's own attempt or a network that is not quite up. When all of
  // them fail with the network back (the retries ran out while offline, or the server forgot the circuit), a reload
  // gets a fresh circuit: the state lives on the server, so the page comes back as it was.
  const reconnect = () => {
    if (!window.Blazor?.reconnect || attempt) return;
    attempt = (async () => {
      for (let i = 0; i < 4 && isDown(); i++) {
        try {
          if (await window.Blazor.reconnect()) return;
        } catch { /* try again below */ }
        await pause(750 * (i + 1));
      }
      if (isDown() && navigator.onLine) location.reload();
    })().finally(() => { attempt = null; });
  };

  // The network is back: reconnect now rather than at the next scheduled attempt (up to 30 s later).
  window.addEventListener('online', () => { if (isDown()) reconnect(); });

  // The banner's "retry now" link.
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-reconnect-retry]')) {
      event.preventDefault();
      reconnect();
    }
  });

  // The server dropped the circuit (e.g. it restarted): only a reload brings the page back.
  banner()?.addEventListener('components-reconnect-state-changed', (event) => {
    if (event.detail?.state === 'rejected') location.reload();
  });
})();
