import type { DayStatus } from "./uptime.js";

/**
 * The status page's colours, light and dark. Status colours are used as text (badges, banner
 * text) and as uptime bars: as text they need 4.5:1 against the page and card backgrounds (WCAG AA),
 * as bars 3:1 (non-text contrast). status-render.test.ts checks every pair. A day's bar takes its
 * colour from its level (uptime-day.ts): the status colours, plus a yellow for a day with a little trouble.
 */

export interface Palette {
  readonly background: string;
  readonly surface: string;
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  readonly link: string;
  readonly status: Readonly<Record<DayStatus, string>>;
  /** The bar of a day with a little trouble: lighter than degraded's amber, a bar colour only. */
  readonly minorBar: string;
}

export const LIGHT: Palette = {
  background: "#ffffff",
  surface: "#f6f8fa",
  text: "#1f2328",
  muted: "#57606a",
  border: "#d0d7de",
  link: "#0550ae",
  status: {
    operational: "#1a7f37",
    degraded_performance: "#8a5a00",
    partial_outage: "#b04000",
    major_outage: "#c4161c",
    under_maintenance: "#0a5cc2",
    no_data: "#6e7781",
  },
  minorBar: "#9a8c00",
};

export const DARK: Palette = {
  background: "#0d1117",
  surface: "#161b22",
  text: "#e6edf3",
  muted: "#9da7b3",
  border: "#30363d",
  link: "#58a6ff",
  status: {
    operational: "#3fb950",
    degraded_performance: "#d29922",
    partial_outage: "#f0883e",
    major_outage: "#ff7b72",
    under_maintenance: "#58a6ff",
    no_data: "#6e7681",
  },
  minorBar: "#d9cf4a",
};

const channel = (hex: string, offset: number): number => {
  const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** WCAG 2 relative luminance of "#RRGGBB". */
export const relativeLuminance = (hex: string): number =>
  0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever reads better on `background` (the brand colour's stripe label). */
export const readableOn = (background: string): "#000000" | "#ffffff" =>
  contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff") ? "#000000" : "#ffffff";

function variables(p: Palette): string {
  const status = Object.entries(p.status)
    .map(([k, v]) => `--s-${k}:${v};`)
    .join("");
  return `--bg:${p.background};--surface:${p.surface};--text:${p.text};--muted:${p.muted};--border:${p.border};--link:${p.link};${status}--bar-minor:${p.minorBar};`;
}

/** The stylesheet: CSS variables per scheme, then rules that only use the variables. */
export function statusPageCss(brandColor: string): string {
  return `:root{color-scheme:light dark;${variables(LIGHT)}--brand:${brandColor};--on-brand:${readableOn(brandColor)}}
@media (prefers-color-scheme:dark){:root{${variables(DARK)}}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px}
.wrap{max-width:52rem;margin:0 auto;padding:0 1rem}
header.top{border-top:6px solid var(--brand);border-bottom:1px solid var(--border);padding:1rem 0;margin-bottom:1.5rem}
header.top .wrap{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between}
.brand{display:flex;align-items:center;gap:.6rem;color:var(--text);text-decoration:none;font-weight:600;font-size:1.25rem}
.brand img{max-height:40px;max-width:160px}
nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
h1,h2,h3{line-height:1.25}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
h3{font-size:1rem;margin:0}
.banner{font-size:1.35rem;margin:0;padding:1rem 1.25rem;border-radius:8px;background:var(--surface);border:1px solid var(--border);border-left:8px solid var(--s-operational)}
.banner.i-minor{border-left-color:var(--s-degraded_performance)}.banner.i-major{border-left-color:var(--s-partial_outage)}
.banner.i-critical{border-left-color:var(--s-major_outage)}.banner.i-maintenance{border-left-color:var(--s-under_maintenance)}
.updated{color:var(--muted);font-size:.875rem;margin:.5rem 0 0}
ul.plain,ol.plain{list-style:none;margin:0;padding:0}
.card{background:var(--surface);border:1px solid var(--border);border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
.card h3 a{color:var(--text)}
.meta{color:var(--muted);font-size:.875rem;margin:.25rem 0}
.updates li{margin:.75rem 0 0;padding-left:.75rem;border-left:3px solid var(--border)}
.updates p{margin:.25rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.st{font-weight:600}
.c-operational{color:var(--s-operational)}.c-degraded_performance{color:var(--s-degraded_performance)}
.c-partial_outage{color:var(--s-partial_outage)}.c-major_outage{color:var(--s-major_outage)}
.c-under_maintenance{color:var(--s-under_maintenance)}.c-no_data{color:var(--muted)}
.components{border:1px solid var(--border);border-radius:8px;background:var(--surface)}
.components>li{padding:1rem 1.25rem;border-top:1px solid var(--border)}.components>li:first-child{border-top:0}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem;align-items:baseline}
.desc{color:var(--muted);font-size:.875rem;margin:.25rem 0 0}
.group>ul>li{margin:.75rem 0 0 1rem}
.bars{display:flex;gap:2px;height:34px;margin:.6rem 0 .25rem}
.bars i{flex:1;border-radius:2px;min-width:2px;background:var(--s-operational)}
.bars .b-minor{background:var(--bar-minor)}.bars .b-degraded{background:var(--s-degraded_performance)}
.bars .b-outage{background:var(--s-partial_outage)}.bars .b-major{background:var(--s-major_outage)}
.bars .b-maintenance{background:var(--s-under_maintenance)}.bars .b-no_data{background:var(--s-no_data)}
.scale{display:flex;justify-content:space-between;color:var(--muted);font-size:.8rem;margin:0}
.scale>span:not(.pct){white-space:nowrap}.scale .pct{text-align:center;padding:0 .5rem}
@media (max-width:600px){.bars i:nth-child(-n+60){display:none}.scale .d90{display:none}.scale .d30{display:inline}}
@media (min-width:601px){.scale .d30{display:none}}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.5rem 0}
label{display:flex;flex-direction:column;font-size:.875rem;gap:.25rem;flex:1 1 14rem}
input{font:inherit;padding:.5rem;border:1px solid var(--muted);border-radius:6px;background:var(--bg);color:var(--text)}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid var(--text);background:var(--text);color:var(--bg);cursor:pointer}
details{margin:.5rem 0}
footer{border-top:1px solid var(--border);margin-top:3rem;padding:1rem 0 2rem;color:var(--muted);font-size:.875rem}
footer ul{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;margin:0;padding:0}
.day h3{margin-top:1.25rem;padding-bottom:.25rem;border-bottom:1px solid var(--border)}
.none{color:var(--muted);margin:.5rem 0}`;
}
