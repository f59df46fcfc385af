// Typeset the built site's math at build time (MathJax 3, TeX in, SVG out), so pages load no MathJax.
//
//   node tools/prerender_math.mjs _build/html
//
// Every `<span class="math …">\(…\)</span>` and `<div class="math …">\[…\]</div>` that Sphinx/MyST
// wrote becomes an <mjx-container> holding an SVG (vector, the same at every width) and hidden
// MathML for screen readers (MathJax's assistive-MML), with the TeX kept in a data attribute.
// The MathJax configuration and script tags are removed; one small stylesheet is added per page.
// A TeX error fails the build (exit 1) naming the page and the formula.
import fs from "node:fs";
import path from "node:path";
import {mathjax} from "mathjax-full/js/mathjax.js";
import {TeX} from "mathjax-full/js/input/tex.js";
import {SVG} from "mathjax-full/js/output/svg.js";
import {liteAdaptor} from "mathjax-full/js/adaptors/liteAdaptor.js";
import {RegisterHTMLHandler} from "mathjax-full/js/handlers/html.js";
import {AssistiveMmlHandler} from "mathjax-full/js/a11y/assistive-mml.js";
import {AllPackages} from "mathjax-full/js/input/tex/AllPackages.js";

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

// Sphinx writes math as <span|div class="math notranslate nohighlight">; myst-nb writes a cell's LaTeX
// output (sympy's) as <div class="output text_latex math notranslate nohighlight">.
const MATH = /<(span|div) class="((?:[\w-]+ )*)math notranslate nohighlight"([^>]*)>([\s\S]*?)<\/\1>/g;
const DELIMITED = /^([\s\S]*?)\\([(\[])([\s\S]*)\\([)\]])\s*$/;

function unescapeHtml(s) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
function escapeAttr(s) {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

// MathJax nests a <g> per MathML node (mi, mo, mrow, msub, ...), each with a translate; a page of
// formulas then holds thousands of elements for the browser to style and lay out on every load.
// flattenSvg hands each such group's transform down to its children and drops the group, so a
// formula is its top <g> plus one <use>/<rect> per glyph/rule, the same picture. Groups the
// stylesheet selects (merror, mtable, maction), groups with other attributes (colour, class) and
// groups holding a nested <svg> (tables) stay as they are. The data-* attributes nothing reads go.
const KEEP_NODE = new Set(["merror", "mtable", "maction"]);
const MOVABLE = new Set(["g", "use", "rect", "path", "line"]);
const TRANSLATE = /^translate\(([-\d.e]+)(?:,\s*([-\d.e]+))?\)$/;

function composeTransforms(outer, inner) {
  if (!outer) return inner;
  if (!inner) return outer;
  const a = TRANSLATE.exec(outer);
  const b = TRANSLATE.exec(inner);
  if (a && b) {
    const round = (v) => String(Math.round(v * 10) / 10);
    return `translate(${round(+a[1] + +b[1])},${round(+(a[2] || 0) + +(b[2] || 0))})`;
  }
  return `${outer} ${inner}`;
}

function dissolvable(g) {
  if (g.kind !== "g" || KEEP_NODE.has(g.attributes["data-mml-node"])) return false;
  if (Object.keys(g.attributes).some((a) => !["transform", "data-mml-node", "data-mjx-texclass"].includes(a))) return false;
  return g.children.every((c) => MOVABLE.has(c.kind));
}

function flattenSvg(node) {
  if (!node.children) return;
  for (const child of node.children) flattenSvg(child);
  const children = [];
  for (const child of node.children) {
    if (child.kind === "use") delete child.attributes["data-c"];
    if (child.kind === "g" && dissolvable(child)) {
      const outer = child.attributes.transform;
      for (const grand of child.children) {
        const t = composeTransforms(outer, grand.attributes.transform);
        if (t) grand.attributes.transform = t;
        grand.parent = node;
        children.push(grand);
      }
      continue;
    }
    if (child.kind === "g" && !KEEP_NODE.has(child.attributes["data-mml-node"])) {
      delete child.attributes["data-mml-node"];
      delete child.attributes["data-mjx-texclass"];
    }
    children.push(child);
  }
  node.children = children;
}

// What MathJax writes that no current browser needs, dropped from every formula (about a tenth
// of a math-heavy page's HTML, all of it for the browser to parse on every load): namespace
// declarations (the HTML parser puts <svg> and <math> into their namespaces by itself),
// xlink:href (SVG 2's href), Internet Explorer's focusable and unselectable, MathJax's own TeX
// classes in the MathML, and the container's inline style (one rule in the page's stylesheet).
const SLIM = [
  [/(<svg\b[^>]*?) xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "$1"],
  [/ xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink"/g, ""],
  [/ focusable="false"/g, ""],
  [/ unselectable="on"/g, ""],
  [/<use xlink:href=/g, "<use href="],
  [/<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"/g, "<math"],
  [/ data-mjx-(?:texclass|auto-op|alternate)="[^"]*"/g, ""],
  [/(<mjx-container class="MathJax" jax="SVG"(?: display="true")?) style="position: relative;"/g, "$1"],
];
const CONTAINER_CSS = 'mjx-container[jax="SVG"] { position: relative; }\n';

function slimMarkup(html) {
  return SLIM.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), html);
}

function typesetPage(html, file) {
  const tex = new TeX({packages: AllPackages.filter((p) => p !== "bussproofs"), formatError: (jax, err) => {
    throw new Error(`TeX error: ${err.message}`);
  }});
  const svg = new SVG({fontCache: "global"});
  const doc = mathjax.document("", {InputJax: tex, OutputJax: svg});
  let count = 0;
  const out = html.replace(MATH, (whole, tag, classes, attrs, inner) => {
    const m = DELIMITED.exec(inner);
    if (!m) return whole;
    const [, before, open] = m;
    const display = open === "[";
    const source = unescapeHtml(m[3]).trim();
    let node;
    try {
      node = doc.convert(source, {display, em: 16, ex: 8, containerWidth: 680});
    } catch (err) {
      throw new Error(`${file}: ${err.message}\n  in: ${source}`);
    }
    for (const child of node.children) if (child.kind === "svg") flattenSvg(child);
    adaptor.setAttribute(node, "data-tex", source);
    count += 1;
    return `<${tag} class="${classes}math notranslate nohighlight"${attrs}>${before}${slimMarkup(adaptor.outerHTML(node))}</${tag}>`;
  });
  if (count === 0) return {html: out, count};
  const defs = adaptor.outerHTML(svg.fontCache.getCache());
  const cache = `<svg id="MJX-SVG-global-cache" xmlns="http://www.w3.org/2000/svg" style="display: none" aria-hidden="true">${defs}</svg>`;
  // glyphs lose data-c (flattenSvg): the rule giving them their stroke selects every <use> instead
  const css = adaptor.textContent(svg.styleSheet(doc)).replace('mjx-container[jax="SVG"] use[data-c]', 'mjx-container[jax="SVG"] use');
  const head = `<style id="MJX-SVG-styles">${CONTAINER_CSS}${css}</style>`;
  let result = out.replace(/<script>window\.MathJax = [^<]*<\/script>\s*/, "")
    .replace(/<script defer="defer" src="[^"]*mathjax\/tex-chtml\.js[^"]*"><\/script>\s*/, "")
    .replace("</head>", `${head}\n</head>`);
  result = result.replace(/(<body[^>]*>)/, `$1\n${cache}`);
  return {html: result, count};
}

function* pages(dir) {
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith("_")) yield* pages(full);
    } else if (entry.name.endsWith(".html")) {
      yield full;
    }
  }
}

const root = process.argv[2];
if (!root || !fs.existsSync(path.join(root, "index.html"))) {
  console.error("usage: node tools/prerender_math.mjs SITE_DIR (a built site with index.html)");
  process.exit(2);
}
let total = 0;
try {
  for (const file of pages(root)) {
    const html = fs.readFileSync(file, "utf8");
    // Pages without math, and pages typeset by an earlier run (an incremental build rewrites only
    // the pages it rebuilt), are left alone.
    if (!html.includes('math notranslate nohighlight"') || html.includes('id="MJX-SVG-global-cache"')) continue;
    const {html: result, count} = typesetPage(html, file);
    fs.writeFileSync(file, result);
    total += count;
  }
} catch (err) {
  console.error(String(err.message || err));
  process.exit(1);
}
console.log(`prerender_math: typeset ${total} formulas in ${root}`);
