// Screenshots of quotefig.css in five Sphinx themes, light and dark, with an
// axe-core colour-contrast check of our elements.  See README.md here.
//
//   node screenshots.mjs [--out DIR] [--themes furo,alabaster] [--no-build]
//                        [--docs] [--rtl]
//
// It builds the sample projects with build_samples.py (the repository's
// .venv/bin/python unless $PYTHON is set), then for every theme x markup x
// mode writes DIR/shots/<theme>-<markup>-<mode>-{top,more}.png:
//   top   the source line and the first three seed quotations
//   more  the extra shapes (author, other source, inline quote)
// Modes: light, dark (the theme's own dark mode; for alabaster and rtd,
// which have none, prefers-color-scheme: dark, where the page must stay
// light and readable), and forced-dark (Chromium's automatic dark mode) for
// those two.  --docs also writes docs/_static/seed-furo-{light,dark}.png.
// The browser is the system Chromium ($CHROMIUM or /usr/bin/chromium); it
// never downloads one.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const { values: opts } = parseArgs({
  options: {
    out: { type: "string", default: "/tmp/quotefig-samples" },
    themes: { type: "string" },
    "no-build": { type: "boolean", default: false },
    docs: { type: "boolean", default: false },
    rtl: { type: "boolean", default: false },
  },
});

// Themes with their own dark mode, and how to ask for it before load.
const DARK = {
  furo: (mode) => localStorage.setItem("theme", mode),
  pydata_sphinx_theme: (mode) => localStorage.setItem("mode", mode),
  sphinx_book_theme: (mode) => localStorage.setItem("mode", mode),
};

if (!opts["no-build"]) {
  const venvPython = path.join(root, ".venv/bin/python");
  const python = process.env.PYTHON ?? (existsSync(venvPython) ? venvPython : "python3");
  const args = [path.join(here, "build_samples.py"), opts.out];
  if (opts.themes) args.push("--themes", opts.themes);
  const run = spawnSync(python, args, { stdio: ["ignore", "ignore", "inherit"] });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
let pages = JSON.parse(readFileSync(path.join(opts.out, "pages.json"), "utf8"));
if (opts.themes) pages = pages.filter((p) => opts.themes.split(",").includes(p.theme));

const shots = path.join(opts.out, "shots");
mkdirSync(shots, { recursive: true });
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const browser = await chromium.launch({ executablePath, args: flags });
const forcedBrowser = await chromium.launch({
  executablePath,
  args: [...flags, "--blink-settings=forceDarkModeEnabled=true"],
});

// Bounding box around the first `count` elements matching `selector`, with a
// margin (padX, padY), in page coordinates.
async function clipOf(page, selector, count, padX = 16, padY = 12) {
  return page.evaluate(({ selector, count, padX, padY }) => {
    const els = [...document.querySelectorAll(selector)].slice(0, count);
    if (!els.length) return null;
    const boxes = els.map((e) => e.getBoundingClientRect());
    const x0 = Math.min(...boxes.map((b) => b.left)) - padX;
    const y0 = Math.min(...boxes.map((b) => b.top)) + scrollY - padY;
    const x1 = Math.max(...boxes.map((b) => b.right)) + padX;
    const y1 = Math.max(...boxes.map((b) => b.bottom)) + scrollY + padY;
    return { x: Math.max(0, x0), y: Math.max(0, y0), width: x1 - Math.max(0, x0), height: y1 - Math.max(0, y0) };
  }, { selector, count, padX, padY });
}

const TOP = "p.quote-source, figure.quote";
let failures = 0;
const report = [];

for (const { theme, markup, page: file } of pages) {
  const modes = DARK[theme] ? ["light", "dark"] : ["light", "dark", "forced-dark"];
  if (opts.rtl) modes.push("rtl");
  for (const mode of modes) {
    const dark = mode === "dark" || mode === "forced-dark";
    const context = await (mode === "forced-dark" ? forcedBrowser : browser).newContext({
      viewport: { width: 1200, height: 1600 },
      colorScheme: dark ? "dark" : "light",
    });
    if (DARK[theme]) {
      await context.addInitScript(DARK[theme], mode === "dark" ? "dark" : "light");
    }
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    if (mode === "rtl") {
      await page.evaluate(() => document.documentElement.setAttribute("dir", "rtl"));
    }
    await page.evaluate(() => document.fonts.ready);
    const name = `${theme}-${markup}-${mode}`;

    // "top": the source line and the first three seed quotations.
    const top = await clipOf(page, TOP, 4);
    await page.screenshot({ path: path.join(shots, `${name}-top.png`), clip: top, fullPage: true });
    const more = await clipOf(page, "#more-citation-shapes", 1);
    await page.screenshot({ path: path.join(shots, `${name}-more.png`), clip: more, fullPage: true });

    if (opts.docs && theme === "furo" && markup === "footer" && (mode === "light" || mode === "dark")) {
      const target = path.join(root, "docs/_static", `seed-furo-${mode}.png`);
      mkdirSync(path.dirname(target), { recursive: true });
      await page.screenshot({ path: target, clip: await clipOf(page, TOP, 3, 24, 12), fullPage: true });
      console.log(`wrote ${path.relative(root, target)}`);
    }

    // axe reads computed colours, so Chromium's forced dark mode is not
    // something it can judge; check the other modes.
    if (mode !== "forced-dark") {
      // A viewport as tall as the page: axe cannot judge text cut by the fold.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: 1200, height: Math.min(height, 16000) });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() =>
        window.axe.run(
          { include: [["figure.quote"], ["q.quote"], [".quote-citation"], ["p.quote-source"]] },
          { runOnly: ["color-contrast"] },
        ),
      );
      const bad = result.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.any.map((a) => a.message).join("; ")}`));
      const incomplete = result.incomplete.flatMap((v) => v.nodes.map((n) => n.target.join(" ")));
      failures += bad.length;
      report.push({ name, violations: bad, incomplete, passes: result.passes.reduce((n, v) => n + v.nodes.length, 0) });
      console.log(`${name}: ${bad.length ? `${bad.length} contrast violation(s)` : "contrast ok"} ` +
        `(${report.at(-1).passes} checked${incomplete.length ? `, ${incomplete.length} undetermined` : ""})`);
      for (const line of bad) console.log(`  ${line}`);
    } else {
      console.log(`${name}: screenshots only`);
    }
    await context.close();
  }
}

writeFileSync(path.join(opts.out, "contrast.json"), JSON.stringify(report, null, 2));
await browser.close();
await forcedBrowser.close();
console.log(`screenshots in ${shots}`);
process.exit(failures ? 1 : 0);
