// The search page: reads the URL, asks /v1/search, draws hits, facets, timeline, map, filters and
// pages. No framework, no build; every text goes in as text (see dom.js).
"use strict";

import { $, element, marked, ltr, day, getJson, STATUS, LANGUAGES, TYPES } from "/static/dom.js";
import { drawTimeline } from "/static/timeline.js";
import { loadShapes, drawMap, countryName } from "/static/map.js";

const FACETS = { person: "الأشخاص", location: "الأماكن", organization: "المنظمات", lang: "اللغة",
                 dedup: "التكرار", unit: "وحدات الأرقام" };
// every parameter that narrows the results, as a chip names it
const FILTERS = { person: "الشخص", location: "المكان", organization: "المنظمة", entity: "الكيان",
                  type: "نوع الكيان", lang: "اللغة", dedup: "التكرار", unit: "الوحدة", number: "رقم",
                  country: "الدولة", from: "من", to: "إلى", collapse: "كل النسخ" };
const PAGE_WINDOW = 2; // pages shown each side of the current one
const MAX_PAGE = 100; // the API's limit

function label(name, value) {
  if (name === "dedup") return STATUS[value] || value;
  if (name === "lang") return LANGUAGES[value] || value;
  if (name === "type") return TYPES[value.toUpperCase()] || value;
  if (name === "country") return countryName(value);
  if (name === "collapse") return "نعم";
  return value;
}

function articleLinks(article) {
  const span = element("span", undefined, { class: "meta" });
  const file = element("a", undefined, { href: `/article/${encodeURIComponent(article.id)}`, class: "file" });
  file.append(ltr(article.source_file || article.id));
  span.append(" · ", file);
  if (article.url && /^https?:\/\//.test(article.url)) {
    span.append(" · ", element("a", "الرابط الأصلي", { href: article.url, rel: "noopener noreferrer" }));
  }
  return span;
}

function meta(article) {
  const status = STATUS[article.dedup_status] || article.dedup_status || "";
  const line = element("div", `${day(article.published_at)} · ${status}`, { class: "meta" });
  if (article.source) line.append(" · ", ltr(article.source));
  line.append(articleLinks(article));
  return line;
}

function title(article, tag) {
  const heading = element(tag, undefined, { class: "title" });
  const link = element("a", undefined, { href: `/article/${encodeURIComponent(article.id)}` });
  link.append(...marked(article.title_html));
  heading.append(link);
  return heading;
}

function snippet(html) {
  const paragraph = element("p", "… ", { class: "snippet" });
  paragraph.append(...marked(html), " …");
  return paragraph;
}

function drawHit(hit) {
  const item = element("li", undefined, { class: "hit", "data-id": hit.id });
  item.append(title(hit, "h3"), meta(hit));
  for (const html of hit.snippets_html) item.append(snippet(html));
  if (hit.copies.length) {
    const copies = element("details", undefined, { class: "copies" });
    copies.append(element("summary", `${hit.copies_total} نسخة أخرى من هذا الخبر`));
    const list = element("ul");
    for (const copy of hit.copies) {
      const entry = element("li");
      entry.append(title(copy, "span"), meta(copy));
      for (const html of copy.snippets_html.slice(0, 1)) entry.append(snippet(html));
      list.append(entry);
    }
    copies.append(list);
    item.append(copies);
  }
  return item;
}

function drawFacets(facets, params) {
  const aside = $("facets");
  aside.replaceChildren(element("p", "الأعداد: أخبار / مقالات", { class: "legend" }));
  for (const [name, heading] of Object.entries(FACETS)) {
    const buckets = facets[name] || [];
    if (!buckets.length) continue;
    const chosen = params.getAll(name);
    const list = element("ul");
    for (const bucket of buckets) {
      const on = chosen.includes(bucket.value);
      const button = element("button", undefined, { type: "button", class: on ? "facet on" : "facet",
                                                     "data-facet": name, "data-value": bucket.value,
                                                     title: `${bucket.stories} خبر في ${bucket.count} مقال` });
      button.append(`${on ? "✕ " : ""}${label(name, bucket.value)} `,
                    element("span", `${bucket.stories} / ${bucket.count}`, { class: "count" }));
      button.addEventListener("click", () => toggle(name, bucket.value));
      const item = element("li");
      item.append(button);
      list.append(item);
    }
    aside.append(element("h2", heading), list);
  }
}

// the chosen filters, each a chip that removes it
function chips(params) {
  const found = [];
  for (const [name, heading] of Object.entries(FILTERS)) {
    for (const value of params.getAll(name)) {
      if (!value) continue;
      const chip = element("button", undefined, { type: "button", class: "chip", "data-param": name,
                                                   "data-value": value, title: "إزالة هذا الشرط" });
      // dates and codes are left-to-right runs; a name takes the direction of its own letters
      const text = label(name, value);
      chip.append(`${heading}: `, /\p{L}/u.test(text) && !/^[\x00-\x7f]*$/.test(text) ? element("bdi", text) : ltr(text), " ✕");
      chip.addEventListener("click", () => toggle(name, value));
      found.push(chip);
    }
  }
  return found;
}

// [1, "…", 4, 5, 6, 7, 8, "…", 40]: the current page with its neighbours, and the ends
function pageWindow(current, last) {
  const pages = [];
  for (let page = 1; page <= last; page++) {
    if (page === 1 || page === last || Math.abs(page - current) <= PAGE_WINDOW) pages.push(page);
    else if (pages[pages.length - 1] !== "…") pages.push("…");
  }
  return pages;
}

function pageButton(text, page, params, attributes = {}) {
  const button = element("button", text, { type: "button", ...attributes });
  if (page === null) button.disabled = true;
  else button.addEventListener("click", () => { params.set("page", page); go(params); });
  return button;
}

function drawPages(answer, params) {
  const nav = $("pages");
  nav.replaceChildren();
  const total = answer.collapsed ? answer.total.stories : answer.total.articles;
  const last = Math.min(MAX_PAGE, Math.ceil(total / answer.size));
  if (last <= 1) return;
  const current = answer.page;
  nav.append(pageButton("→ السابقة", current > 1 ? current - 1 : null, params, { class: "previous" }));
  for (const page of pageWindow(current, last)) {
    if (page === "…") nav.append(element("span", "…", { class: "gap" }));
    else {
      const attributes = page === current ? { class: "current", "aria-current": "page" } : {};
      nav.append(pageButton(String(page), page === current ? null : page, params, attributes));
    }
  }
  nav.append(pageButton("التالية ←", current < last ? current + 1 : null, params, { class: "next" }));
}

function noResults(params) {
  const box = element("div", undefined, { class: "no-results" });
  const q = params.get("q");
  box.append(element("h2", q ? `لا نتائج لـ «${q}»` : "لا نتائج"));
  const tips = element("ul");
  const filters = chips(params);
  if (filters.length) {
    const tip = element("li", "أزل شرطا من شروط التصفية: ");
    tip.append(...filters);
    const all = element("button", "ابحث بلا شروط", { type: "button", class: "drop-filters" });
    all.addEventListener("click", () => {
      const bare = new URLSearchParams();
      if (q) bare.set("q", q);
      go(bare);
    });
    tip.append(" ", all);
    tips.append(tip);
  }
  if (q && /["+|*~()]/.test(q)) tips.append(element("li", "أزل علامات التنصيص والرموز للبحث عن الكلمات متفرقة."));
  if (q) {
    tips.append(element("li", "تحقق من الإملاء، أو جرّب كتابة أخرى للاسم (ترامب أو ترمب، غوتيريش أو جوتيريس)."));
    tips.append(element("li", "جرّب كلمة أعم أو عددا أقل من الكلمات."));
  }
  box.append(tips);
  return box;
}

function toggle(name, value) {
  const params = new URLSearchParams(location.search);
  const values = params.getAll(name);
  params.delete(name);
  for (const v of values) if (v !== value) params.append(name, v);
  if (!values.includes(value)) params.append(name, value);
  params.delete("page");
  go(params);
}

function setRange(from, to) {
  const params = new URLSearchParams(location.search);
  params.set("from", from);
  params.set("to", to);
  params.delete("page");
  go(params);
}

function go(params) {
  history.pushState(null, "", `?${params}`);
  run();
}

function failed(message) {
  $("summary").textContent = message;
  for (const id of ["hits", "pages", "chips", "facets"]) $(id).replaceChildren();
  document.body.dataset.state = "error";
}

async function run() {
  document.body.dataset.state = "loading";
  const params = new URLSearchParams(location.search);
  $("q").value = params.get("q") || "";
  $("all").checked = params.get("collapse") === "false";
  $("sort").value = params.get("sort") || "relevance";
  const [[answer, problem], world] = await Promise.all([getJson(`/v1/search?${params}`), loadShapes()]);
  if (problem) return failed(problem);
  const { stories, articles } = answer.total;
  $("summary").textContent = answer.collapsed ? `${stories} خبرا (${articles} مقالا)` : `${articles} مقالا`;
  // after the map's shapes have come: chips name countries by them
  $("chips").replaceChildren(...chips(params));
  if (!articles) {
    $("hits").replaceChildren(noResults(params));
    document.body.dataset.results = "none";
  } else {
    $("hits").replaceChildren(...answer.hits.map(drawHit));
    document.body.dataset.results = "some";
  }
  drawFacets(answer.facets, params);
  drawPages(answer, params);
  drawTimeline($("timeline"), answer.timeline, { from: params.get("from"), to: params.get("to") }, setRange);
  drawMap($("map"), world, answer.facets.country || [], params.getAll("country"), (code) => toggle("country", code));
  document.body.dataset.state = "done";
}

$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams(location.search);
  params.set("q", $("q").value.trim());
  params.delete("page");
  go(params);
});
$("all").addEventListener("change", () => {
  const params = new URLSearchParams(location.search);
  if ($("all").checked) params.set("collapse", "false"); else params.delete("collapse");
  params.delete("page");
  go(params);
});
$("sort").addEventListener("change", () => {
  const params = new URLSearchParams(location.search);
  if ($("sort").value === "relevance") params.delete("sort"); else params.set("sort", $("sort").value);
  params.delete("page");
  go(params);
});
window.addEventListener("popstate", run);
run();
