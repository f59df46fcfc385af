/* The theme's Bootstrap, loaded once the page has loaded.
 *
 * pydata-sphinx-theme loads Bootstrap (80 KB) on every page for three things: the header's
 * dropdown menus (the download menu), the tooltips of the header buttons and the back-to-top
 * button. None of them is needed to read the page, yet evaluating Bootstrap took about 150 ms of
 * a slow phone's main thread before the page could finish loading. book_furniture.py puts this
 * script where the theme's <script src=".../bootstrap.js"> was (the address is in data-src):
 *
 * - Bootstrap is added to the page just after the load event; it then sets up the tooltips and
 *   the back-to-top button as it would have done at DOMContentLoaded;
 * - a click on a dropdown's button before Bootstrap is there (a reader quicker than the page)
 *   loads it at once and then opens that dropdown, so no click is lost.
 */
(() => {
  "use strict";
  const src = document.currentScript.dataset.src;
  let loading = null;
  const load = () =>
    (loading ??= new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src, onload: resolve, onerror: reject });
      document.head.append(script);
    }));

  const early = (event) => {
    if (window.bootstrap) {
      document.removeEventListener("click", early, true);
      return;
    }
    const toggle = event.target instanceof Element && event.target.closest('[data-bs-toggle="dropdown"]');
    if (!toggle) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    load().then(() => window.bootstrap.Dropdown.getOrCreateInstance(toggle).toggle());
  };
  document.addEventListener("click", early, true);

  const later = () => setTimeout(load, 0);
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later, { once: true });
})();
