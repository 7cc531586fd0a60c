// The search page: reads the URL, asks /v1/search, draws hits and facets. No framework, no build.
// Only *_html values from the API (escaped by the server, with <mark> added) are set as HTML;
// everything else goes in as text.
"use strict";

const FACETS = { person: "الأشخاص", location: "الأماكن", organization: "المنظمات", lang: "اللغة",
                 dedup: "التكرار", unit: "وحدات الأرقام" };
const STATUS = { unique: "فريد", exact: "نسخة مطابقة", near: "نسخة شبه مطابقة", partial: "اقتباس جزئي" };
const $ = (id) => document.getElementById(id);

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function fromMarkup(tag, html, className) {
  const node = element(tag, undefined, { class: className });
  node.innerHTML = html; // server-escaped, see above
  return node;
}

function articleLinks(article) {
  const span = element("span", undefined, { class: "meta" });
  const file = element("a", article.source_file || article.id, { href: `/v1/articles/${encodeURIComponent(article.id)}` });
  span.append(" · ", file);
  if (article.url && /^https?:\/\//.test(article.url)) {
    span.append(" · ", element("a", "الرابط الأصلي", { href: article.url, rel: "noopener noreferrer" }));
  }
  return span;
}

function meta(article) {
  const when = article.published_at ? article.published_at.slice(0, 10) : "بلا تاريخ";
  const line = element("div", `${when} · ${STATUS[article.dedup_status] || article.dedup_status || ""}`, { class: "meta" });
  line.append(articleLinks(article));
  return line;
}

function drawHit(hit) {
  const item = element("li", undefined, { class: "hit", "data-id": hit.id });
  item.append(fromMarkup("h3", hit.title_html, "title"), meta(hit));
  for (const snippet of hit.snippets_html) item.append(fromMarkup("p", `… ${snippet} …`, "snippet"));
  if (hit.copies.length) {
    const copies = element("details", undefined, { class: "copies" });
    copies.append(element("summary", `${hit.copies_total} نسخة أخرى من هذا الخبر`));
    const list = element("ul");
    for (const copy of hit.copies) {
      const entry = element("li");
      entry.append(fromMarkup("span", copy.title_html, "title"), meta(copy));
      for (const snippet of copy.snippets_html.slice(0, 1)) entry.append(fromMarkup("p", `… ${snippet} …`, "snippet"));
      list.append(entry);
    }
    copies.append(list);
    item.append(copies);
  }
  return item;
}

function drawFacets(facets, params) {
  const aside = $("facets");
  aside.replaceChildren();
  for (const [name, label] of Object.entries(FACETS)) {
    const buckets = facets[name] || [];
    if (!buckets.length) continue;
    const chosen = params.getAll(name);
    const list = element("ul");
    for (const bucket of buckets) {
      const on = chosen.includes(bucket.value);
      const button = element("button", undefined, { type: "button", class: on ? "facet on" : "facet",
                                                     "data-facet": name, "data-value": bucket.value });
      button.append(`${on ? "✕ " : ""}${STATUS[bucket.value] || bucket.value} `, element("span", `(${bucket.count})`, { class: "count" }));
      button.addEventListener("click", () => toggle(name, bucket.value));
      const item = element("li");
      item.append(button);
      list.append(item);
    }
    aside.append(element("h2", label), list);
  }
}

function drawPages(answer, params) {
  const nav = $("pages");
  nav.replaceChildren();
  const pages = Math.min(100, Math.ceil(answer.total.stories / answer.size));
  for (let page = 1; page <= pages && pages > 1; page++) {
    const button = element("button", String(page), { type: "button" });
    button.disabled = page === answer.page;
    button.addEventListener("click", () => { params.set("page", page); go(params); });
    nav.append(button);
  }
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

function go(params) {
  history.pushState(null, "", `?${params}`);
  run();
}

async function run() {
  document.body.dataset.state = "loading";
  const params = new URLSearchParams(location.search);
  $("q").value = params.get("q") || "";
  $("all").checked = params.get("collapse") === "false";
  const response = await fetch(`/v1/search?${params}`);
  const answer = await response.json();
  if (!response.ok) {
    $("summary").textContent = `خطأ في ${answer.parameter || "الطلب"}: ${answer.reason || answer.error}`;
    $("hits").replaceChildren();
    document.body.dataset.state = "error";
    return;
  }
  const { stories, articles } = answer.total;
  $("summary").textContent = answer.collapsed ? `${stories} خبرا (${articles} مقالا)` : `${articles} مقالا`;
  $("hits").replaceChildren(...answer.hits.map(drawHit));
  drawFacets(answer.facets, params);
  drawPages(answer, params);
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
  go(params);
});
window.addEventListener("popstate", run);
run();
