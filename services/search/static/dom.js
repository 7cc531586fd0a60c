// What the search page and the article page share: building DOM from text, and Arabic labels.
// No text from the index is ever set as HTML: highlights are rebuilt as text nodes and <mark>s.
"use strict";

export const STATUS = { unique: "فريد", exact: "نسخة مطابقة", near: "نسخة شبه مطابقة", partial: "اقتباس جزئي" };
export const LANGUAGES = { ar: "العربية", en: "الإنجليزية", fr: "الفرنسية", de: "الألمانية", es: "الإسبانية",
                           fa: "الفارسية", tr: "التركية", ur: "الأردية", he: "العبرية", ru: "الروسية",
                           und: "غير محددة" };
export const TYPES = { PERSON: "شخص", LOCATION: "مكان", ORGANIZATION: "منظمة", NUMBER: "رقم" };

export const $ = (id) => document.getElementById(id);

export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// the one layer of escaping Elasticsearch's html encoder adds, undone in one pass (so &amp;lt; is &lt;)
const ESCAPES = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": "\"", "&#x27;": "'", "&#39;": "'", "&#x2F;": "/" };
const unescape = (text) => text.replace(/&(?:lt|gt|amp|quot|#x27|#39|#x2F);/g, (ref) => ESCAPES[ref]);

// A highlighted fragment from the API (escaped text with <mark> tags) as nodes: text and <mark>s only.
export function marked(fragment) {
  const nodes = [];
  let inside = false;
  for (const piece of fragment.split(/(<\/?mark>)/)) {
    if (piece === "<mark>") inside = true;
    else if (piece === "</mark>") inside = false;
    else if (piece) nodes.push(inside ? element("mark", unescape(piece)) : document.createTextNode(unescape(piece)));
  }
  return nodes;
}

// File names and ids are left-to-right runs: isolated, so `3a88d7bc6e540760.txt_001` keeps its order
export function ltr(text, tag = "bdi") {
  return element(tag, text, { dir: "ltr" });
}

export function day(iso) {
  return iso ? iso.slice(0, 10) : "بلا تاريخ";
}

// Arabic for what the API says went wrong; its own reasons are English, for programs
export const PARAMETERS = { q: "نص البحث", person: "الشخص", location: "المكان", organization: "المنظمة",
                            entity: "الكيان", type: "نوع الكيان", lang: "اللغة", dedup: "التكرار",
                            unit: "الوحدة", number: "شرط الرقم", country: "الدولة", from: "التاريخ من",
                            to: "التاريخ إلى", sort: "الترتيب", page: "الصفحة", size: "عدد النتائج",
                            collapse: "كل النسخ", id: "رقم المقال", query: "عنوان الصفحة" };

export function problem(response, answer) {
  if (response.status === 400 && answer.error === "bad query") {
    return "تعذّر تنفيذ هذا البحث: جرّب كلمات أقل أو أزل علامات مثل * و ~.";
  }
  if (response.status === 400) {
    return `قيمة غير صالحة في «${PARAMETERS[answer.parameter] || answer.parameter || "الطلب"}».`;
  }
  if (response.status === 404) return "لا يوجد هذا المقال في الفهرس.";
  return "خدمة البحث غير متاحة الآن، أعد المحاولة بعد قليل.";
}

// GET a JSON answer; [answer, null] or [null, an Arabic sentence saying what went wrong]
export async function getJson(url) {
  let response;
  try {
    response = await fetch(url);
  } catch {
    return [null, "تعذّر الاتصال بخدمة البحث."];
  }
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    // a proxy's HTML error page, say: the status still tells what happened
  }
  return response.ok ? [answer, null] : [null, problem(response, answer)];
}
