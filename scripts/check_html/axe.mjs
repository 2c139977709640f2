// axe-core over built HTML pages in headless Chromium (the system browser,
// never a downloaded one), light and dark.  Driven by check.py, which
// serves the builds over HTTP and writes a job file:
//
//   node axe.mjs JOB.json RESULT.json
//
// JOB.json:
//   { "baseUrl": "http://127.0.0.1:PORT/",
//     "tags": ["wcag2a", ...],          axe runOnly tags
//     "schemes": ["light", "dark"],
//     "concurrency": 2,
//     "shotsDir": "/abs/dir",           screenshots go here
//     "runs": [ { "theme": "furo", "variant": "quotefig",
//                 "root": "furo/quotefig/html/",     under baseUrl
//                 "pages": ["index.html", ...],
//                 "shots": ["examples/seed.html", "quote-index.html"] } ] }
//
// RESULT.json: one record per run x scheme x page:
//   { theme, variant, scheme, page, dark: {...}, violations: [ { id, impact,
//     help, nodes: [ { target, impact, html, inQuotefig } ] } ], error? }
//
// Dark mode: every page is loaded with prefers-color-scheme set to the
// scheme; themes with their own switch (furo, pydata-sphinx-theme,
// sphinx-book-theme) also get it set in localStorage before any script runs
// and on <html>/<body> after load, and the page background is measured so
// check.py can tell whether a "dark" page really rendered dark.
// $CHROMIUM overrides /usr/bin/chromium; $AXE_MAX_HEIGHT the tallest viewport
// axe runs in (default 16000 px). Each record also has timings (ms).

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [jobFile, resultFile] = process.argv.slice(2);
if (!jobFile || !resultFile) {
  console.error("usage: node axe.mjs JOB.json RESULT.json");
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobFile, "utf8"));

// What the extension writes (writers/html.py, index.py, roles.py): a
// violation on a node inside one of these is listed for information.
const QUOTEFIG = [
  "figure.quote", "q.quote", ".quote-citation", ".quote-author", ".quote-locator",
  "p.quote-source", ".quote-source", ".quote-attribution", ".quote-index",
  "#citation-index",
].join(", ");

// The theme's own dark-mode switch, set before its scripts run.
const SWITCH = {
  furo: (mode) => localStorage.setItem("theme", mode),
  pydata_sphinx_theme: (mode) => localStorage.setItem("mode", mode),
  sphinx_book_theme: (mode) => localStorage.setItem("mode", mode),
};
// ... and the attribute that switch sets, applied again after load.
const ATTRIBUTE = {
  furo: (mode) => { document.body.dataset.theme = mode; },
  pydata_sphinx_theme: (mode) => {
    document.documentElement.dataset.theme = mode;
    document.documentElement.dataset.mode = mode;
  },
  sphinx_book_theme: (mode) => {
    document.documentElement.dataset.theme = mode;
    document.documentElement.dataset.mode = mode;
  },
};

const VIEWPORT = { width: 1280, height: 1000 };
const STILL = "*, *::before, *::after { transition: none !important; animation: none !important; scroll-behavior: auto !important; }";
// axe judges colour on what is laid out; a viewport as tall as the page
// (within reason) keeps sticky headers and the fold out of the way.
const MAX_HEIGHT = Number(process.env.AXE_MAX_HEIGHT ?? 16000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage", "--font-render-hinting=none"],
});

function pageBackground() {
  // The first opaque background behind the main text, walking up from it.
  const start = document.querySelector("article, main, [role=main], div.body, .body, .document") ?? document.body;
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  let colour = null;
  for (let el = start; el; el = el.parentElement) {
    const c = parse(getComputedStyle(el).backgroundColor);
    if (c && c.a > 0.5) { colour = c; break; }
  }
  if (!colour) {
    // The canvas: dark only if the page opted into a dark color-scheme.
    const scheme = getComputedStyle(document.documentElement).colorScheme;
    const dark = scheme.includes("dark") && matchMedia("(prefers-color-scheme: dark)").matches;
    colour = dark ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
  }
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = 0.2126 * lin(colour.r) + 0.7152 * lin(colour.g) + 0.0722 * lin(colour.b);
  return {
    background: `rgb(${colour.r}, ${colour.g}, ${colour.b})`,
    luminance: Math.round(luminance * 1000) / 1000,
    htmlTheme: document.documentElement.dataset.theme ?? null,
    bodyTheme: document.body?.dataset.theme ?? null,
  };
}

async function checkPage(tab, run, scheme, page, shot) {
  const record = { theme: run.theme, variant: run.variant, scheme, page };
  const t0 = Date.now();
  try {
    await tab.setViewportSize(VIEWPORT);
    await tab.goto(new URL(run.root + page, job.baseUrl).href, { waitUntil: "load", timeout: 60000 });
    // Transitions and animations end at once: a theme's sidebar sliding in
    // or colours fading to dark must not be caught half-way by the
    // screenshot or by axe's colour checks.
    await tab.addStyleTag({ content: STILL });
    if (ATTRIBUTE[run.theme]) await tab.evaluate(ATTRIBUTE[run.theme], scheme);
    await tab.evaluate(() => document.fonts.ready);
    // Let the theme's scripts settle (two frames and a moment), and undo
    // any scrolling they did (sidebar scrollIntoView).
    await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await tab.waitForTimeout(150);
    await tab.evaluate(() => window.scrollTo(0, 0));
    record.dark = await tab.evaluate(pageBackground);
    if (shot) {
      mkdirSync(job.shotsDir, { recursive: true });
      const name = `${run.theme}-${run.variant}-${page.replace(/\.html$/, "").replaceAll("/", "_")}-${scheme}.png`;
      const height = await tab.evaluate(() => document.documentElement.scrollHeight);
      await tab.screenshot({
        path: path.join(job.shotsDir, name),
        clip: { x: 0, y: 0, width: VIEWPORT.width, height: Math.min(height, 2400) },
        fullPage: true,
      });
      record.screenshot = name;
    }
    const height = await tab.evaluate(() => document.documentElement.scrollHeight);
    await tab.setViewportSize({ width: VIEWPORT.width, height: Math.max(VIEWPORT.height, Math.min(height, MAX_HEIGHT)) });
    record.ms = { load: Date.now() - t0 };
    await tab.addScriptTag({ content: axeSource });
    record.violations = await tab.evaluate(async ({ tags, selector }) => {
      const result = await window.axe.run(document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      });
      const inQuotefig = (target) => {
        if (!Array.isArray(target) || target.length !== 1 || typeof target[0] !== "string") return false;
        try {
          const el = document.querySelector(target[0]);
          return Boolean(el && el.closest(selector));
        } catch { return false; }
      };
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target,
          impact: n.impact ?? v.impact,
          html: n.html.slice(0, 300),
          summary: (n.failureSummary ?? "").slice(0, 400),
          inQuotefig: inQuotefig(n.target),
        })),
      }));
    }, { tags: job.tags, selector: QUOTEFIG });
    record.ms.total = Date.now() - t0;
  } catch (error) {
    record.error = String(error?.message ?? error).split("\n")[0];
  }
  return record;
}

// One browser context per run and scheme (the colour scheme and the
// theme's switch are set per context); `concurrency` of them at a time.
const tasks = [];
for (const run of job.runs) {
  for (const scheme of job.schemes) tasks.push({ run, scheme });
}
const results = [];
let next = 0;
let done = 0;
const total = tasks.reduce((n, t) => n + t.run.pages.length, 0);
async function worker() {
  while (next < tasks.length) {
    const { run, scheme } = tasks[next++];
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: scheme, reducedMotion: "reduce" });
    if (SWITCH[run.theme]) await context.addInitScript(SWITCH[run.theme], scheme);
    let tab = await context.newPage();
    for (const page of run.pages) {
      const record = await checkPage(tab, run, scheme, page, run.shots.includes(page));
      if (record.error) {
        // a fresh tab for the next page, whatever state this one is in
        await tab.close().catch(() => {});
        tab = await context.newPage();
      }
      results.push(record);
      done += 1;
      if (record.error) console.error(`axe: ${run.theme}/${run.variant}/${scheme}/${page}: ${record.error}`);
    }
    await context.close();
    console.error(`axe: ${run.theme} ${run.variant} ${scheme} done (${done}/${total} pages)`);
  }
}
await Promise.all(Array.from({ length: Math.max(1, job.concurrency ?? 1) }, worker));
await browser.close();
writeFileSync(resultFile, JSON.stringify(results, null, 1));
