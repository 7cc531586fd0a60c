// The map: countries of Natural Earth (GET /v1/map) shaded by the articles of the results that name
// a place there (the `country` facet). A click on a shaded country filters by it, or unfilters.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const SHADES = 6;
let shapes = null; // the same for every search: asked once

export async function loadShapes() {
  if (shapes) return shapes;
  const response = await fetch("/v1/map");
  if (!response.ok) return null;
  shapes = await response.json();
  return shapes;
}

// 1..SHADES on a square-root scale, so that one country with most of the news leaves the rest visible
export function shade(count, most) {
  return count ? Math.max(1, Math.ceil(SHADES * Math.sqrt(count / most))) : 0;
}

export function countryName(code) {
  const found = shapes && shapes.countries.find((c) => c.code === code);
  return (found && found.name) || code;
}

export function drawMap(box, world, buckets, chosen, onPick) {
  box.replaceChildren();
  if (!world) {
    box.append(Object.assign(document.createElement("p"), { className: "empty",
      textContent: "الخريطة غير مثبتة على هذا الخادم (make setup يثبتها)." }));
    return;
  }
  const counts = new Map(buckets.map((b) => [b.value, b]));
  const most = Math.max(1, ...buckets.map((b) => b.count));
  const chart = document.createElementNS(SVG, "svg");
  chart.setAttribute("viewBox", `0 0 ${world.width} ${world.height}`);
  chart.setAttribute("class", "map");
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", "الدول التي تذكر النتائج أماكن فيها");
  for (const country of world.countries) {
    const bucket = country.code && counts.get(country.code);
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", country.d);
    const level = bucket ? shade(bucket.count, most) : 0;
    path.setAttribute("class", `country shade-${level}${chosen.includes(country.code) ? " on" : ""}`);
    if (country.code) path.setAttribute("data-code", country.code);
    const title = document.createElementNS(SVG, "title");
    title.textContent = bucket ? `${country.name}: ${bucket.count} مقال في ${bucket.stories} خبر`
                               : (country.name || "");
    path.append(title);
    if (bucket || chosen.includes(country.code)) path.addEventListener("click", () => onPick(country.code));
    chart.append(path);
  }
  box.append(chart);
}
