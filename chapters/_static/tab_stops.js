/* Keyboard tab stops for the regions that scroll (code blocks, cell outputs, wide tables), set
 * only where the page is drawn.
 *
 * pydata-sphinx-theme gives such a region tabindex 0 when its content overflows (so a keyboard
 * reader can focus it and scroll it with the arrow keys) and -1 otherwise. It measures every region
 * of the page on the load event, and again after any change inside the article. This book draws a
 * section only when it comes near the screen (content-visibility: auto in book.css); measuring a
 * region in an undrawn section makes the browser lay that section out there and then, so on a long
 * page the theme's pass froze the page for about 1.5 s on a slow phone after it had loaded, and
 * again after every slider move of a live demo. book_furniture.py switches that pass off; this
 * script does the same job section by section:
 *
 * - on the load event, regions outside the lazily drawn sections are measured, all reads first and
 *   then all writes (one layout);
 * - a region in a section not yet drawn gets tabindex 0 (it might scroll: a keyboard reader can
 *   always reach it), and is measured when its section is drawn
 *   (the contentvisibilityautostatechange event);
 * - after a resize, or when elements are added to the article (ipywidgets drawing late), the
 *   regions of the sections drawn now are measured again, and the others get tabindex 0 until
 *   they are drawn again.
 */
(() => {
  "use strict";
  const REGIONS = [
    "pre",
    ".nboutput > .output_area",
    ".cell_output > .output",
    ".jp-RenderedHTMLCommon",
    ".pst-scrollable-table-container",
  ].join(", ");
  const LAZY = ".bd-article > section > section"; // book.css: content-visibility: auto
  const drawn = new Set(); // the lazy sections drawn now

  const scrolls = (el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;

  function measure(regions) {
    const flags = regions.map(scrolls); // every read before any write: one layout, not one per region
    regions.forEach((el, i) => { el.tabIndex = flags[i] ? 0 : -1; });
  }

  // Regions in drawn sections are measured; those in undrawn ones get tabindex 0 (no layout).
  function measureDrawn() {
    const now = [];
    for (const el of document.querySelectorAll(REGIONS)) {
      const section = el.closest(LAZY);
      if (section === null || drawn.has(section)) now.push(el);
      else el.tabIndex = 0;
    }
    measure(now);
  }

  function later(callback, wait) {
    let timer = null;
    return () => { clearTimeout(timer); timer = setTimeout(callback, wait); };
  }

  let started = false;
  const lazySections = [...document.querySelectorAll(LAZY)];
  for (const section of lazySections) {
    section.addEventListener("contentvisibilityautostatechange", (event) => {
      if (event.skipped) {
        drawn.delete(section);
        return;
      }
      drawn.add(section);
      if (started) measure([...section.querySelectorAll(REGIONS)]);
    });
  }

  // A section is drawn when its first child is not in a skipped subtree (a style check, no layout).
  // (A browser without checkVisibility has no content-visibility either: every section is drawn.)
  const isDrawn = (section) => {
    const first = section.firstElementChild;
    return !first || typeof first.checkVisibility !== "function" || first.checkVisibility({ contentVisibilityAuto: true });
  };

  function start() {
    started = true;
    for (const section of lazySections) if (isDrawn(section)) drawn.add(section);
    measureDrawn();
    const again = later(measureDrawn, 300);
    window.addEventListener("resize", again);
    const main = document.getElementById("main-content");
    if (main) {
      new MutationObserver((records) => {
        if (records.some((r) => [...r.addedNodes].some((n) => n.nodeType === Node.ELEMENT_NODE))) again();
      }).observe(main, { subtree: true, childList: true });
    }
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
