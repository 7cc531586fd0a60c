// The article page: /article/{id} asks /v1/articles/{id}/page and draws the article, its mentions
// highlighted by type (a number's value and unit on hover), its copies and the articles it shares
// passages with. Every piece of the body is a text node or a span set with textContent.
"use strict";

import { $, element, ltr, day, getJson, STATUS, LANGUAGES, TYPES } from "/static/dom.js";

const PLURAL_TYPES = { PERSON: "أشخاص", LOCATION: "أماكن", ORGANIZATION: "منظمات", NUMBER: "أرقام" };

function link(other) {
  const item = element("li", undefined, { "data-id": other.id });
  const anchor = element("a", other.title || undefined, { href: `/article/${encodeURIComponent(other.id)}` });
  if (!other.title) anchor.append(ltr(other.id));
  item.append(anchor);
  const meta = element("div", undefined, { class: "meta" });
  meta.append(day(other.published_at));
  if (other.dedup_status) meta.append(` · ${STATUS[other.dedup_status] || other.dedup_status}`);
  if (other.source_file) meta.append(" · ", ltr(other.source_file));
  item.append(meta);
  return item;
}

function related(other) {
  const item = link(other);
  if (other.overlap !== null && other.overlap !== undefined) {
    item.querySelector(".meta").append(` · ${Math.round(other.overlap * 100)}٪ من هذا المقال فيه`);
  }
  if (!other.title) item.querySelector(".meta").append(" · لم يعد في الفهرس");
  for (const passage of other.passages.slice(0, 3)) {
    const text = passage.text.length > 220 ? `${passage.text.slice(0, 220)}…` : passage.text;
    item.append(element("blockquote", text, { class: "passage" }));
  }
  return item;
}

function body(segments) {
  const box = element("div", undefined, { class: "body", id: "body" });
  for (const segment of segments) {
    let node;
    if (segment.kind) {
      node = element("span", segment.text, { class: `mention ${segment.kind}`, "data-type": segment.kind,
                                             title: segment.kind === "NUMBER" ? segment.title
                                                    : `${TYPES[segment.kind]}: ${segment.title}` });
    } else node = document.createTextNode(segment.text);
    if (segment.shared) {
      const mark = element("mark", undefined, { class: "shared", title: "فقرة مشتركة مع مقال آخر" });
      mark.append(node);
      node = mark;
    }
    box.append(node);
  }
  return box;
}

function fact(list, term, value) {
  if (value === null || value === undefined || value === "") return;
  list.append(element("dt", term));
  const cell = element("dd");
  cell.append(value);
  list.append(cell);
}

function draw(page) {
  document.title = `أخبار — ${page.title}`;
  const article = $("article");
  article.replaceChildren(element("h2", page.title, { id: "title" }));
  const facts = element("dl", undefined, { class: "facts" });
  fact(facts, "المصدر", page.source ? ltr(page.source) : "غير معروف");
  if (page.dates) {
    fact(facts, "التاريخ", page.dates.gregorian);
    fact(facts, "بالهجري", page.dates.hijri);
  } else fact(facts, "التاريخ", "بلا تاريخ نشر");
  fact(facts, "اللغة", LANGUAGES[page.language] || page.language);
  fact(facts, "التكرار", STATUS[page.dedup_status] || page.dedup_status);
  fact(facts, "الملف", ltr(page.source_file || page.id));
  const raw = element("span");
  raw.append(element("a", "الملف الخام", { href: `/v1/articles/${encodeURIComponent(page.id)}`, id: "raw" }));
  if (page.url && /^https?:\/\//.test(page.url)) {
    raw.append(" · ", element("a", "الرابط الأصلي", { href: page.url, rel: "noopener noreferrer" }));
  }
  fact(facts, "الأصل", raw);
  article.append(facts);
  const key = element("p", undefined, { class: "key" });
  for (const [kind, name] of Object.entries(PLURAL_TYPES)) key.append(element("span", name, { class: `mention ${kind}` }));
  key.append(element("span", "فقرة مشتركة", { class: "shared" }));
  article.append(key, body(page.segments));
  $("copies").replaceChildren(...(page.copies.length ? page.copies.map(link) : [element("li", "لا نسخ أخرى")]));
  $("related").replaceChildren(...(page.related.length ? page.related.map(related) : [element("li", "لا مقالات مرتبطة")]));
  document.body.dataset.state = "done";
}

async function run() {
  const id = decodeURIComponent(location.pathname.split("/").pop());
  const [page, problem] = await getJson(`/v1/articles/${encodeURIComponent(id)}/page`);
  if (problem) {
    $("status").textContent = problem;
    document.body.dataset.state = "error";
    return;
  }
  draw(page);
}

if (document.referrer && new URL(document.referrer).origin === location.origin) {
  $("back").href = document.referrer;
}
run();
