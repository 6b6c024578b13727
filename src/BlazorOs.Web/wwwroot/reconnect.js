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
  const reconnect = () => {
    if (window.Blazor?.reconnect) {
      window.Blazor.reconnect().catch(() => { /* the scheduled attempts go on */ });
    }
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
