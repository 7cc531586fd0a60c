// The timeline: stories per day over the results as SVG bars, time running right to left like the
// page; a long run of days without articles is one gap (see services/search/timeline.py). A click
// on a day or a drag across days asks for them as the date range (the from/to parameters).
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 900;
const HEIGHT = 90;
const AXIS = 18; // room under the bars for the first and last dates

function svg(tag, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

// the nearest day to slot `index`, looking towards `step` (+1 later, -1 earlier) from a gap
function dayNear(series, index, step) {
  while (series[index].gap) index += step;
  return series[index].date;
}

// Draws into `box`; `onRange(from, to)` is called with ISO dates when the reader picks days.
export function drawTimeline(box, series, chosen, onRange) {
  box.replaceChildren();
  if (!series.length) {
    box.append(Object.assign(document.createElement("p"), { className: "empty", textContent: "لا تواريخ نشر في هذه النتائج" }));
    return;
  }
  const slot = WIDTH / series.length;
  const most = Math.max(...series.map((d) => d.stories || 0));
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "timeline", role: "img",
                             "aria-label": "عدد الأخبار في كل يوم" });
  // the slot under a pointer: the first one at the right edge
  const indexAt = (event) => {
    const rect = chart.getBoundingClientRect();
    const x = ((rect.right - event.clientX) / rect.width) * WIDTH;
    return Math.max(0, Math.min(series.length - 1, Math.floor(x / slot)));
  };
  const xOf = (index) => WIDTH - (index + 1) * slot;
  const selection = svg("rect", { class: "selection", y: 0, height: HEIGHT - AXIS, width: 0 });
  chart.append(selection);
  const bottom = HEIGHT - AXIS;
  series.forEach((d, index) => {
    if (d.gap) {
      const mark = svg("g", { class: "gap" });
      mark.append(svg("line", { x1: xOf(index) + slot / 2, x2: xOf(index) + slot / 2, y1: 8, y2: bottom }),
                  svg("title", {}, `${d.gap} يوما بلا مقالات`));
      chart.append(mark);
      return;
    }
    const height = d.stories ? Math.max(2, ((bottom - 4) * d.stories) / most) : 0;
    const on = (!chosen.from || d.date >= chosen.from) && (!chosen.to || d.date <= chosen.to);
    const width = Math.max(slot * 0.8, 3);
    const bar = svg("rect", { x: xOf(index) + (slot - width) / 2, width, y: bottom - height, height,
                              class: on ? "bar" : "bar off", "data-date": d.date });
    bar.append(svg("title", {}, `${d.date}: ${d.stories} خبر، ${d.articles} مقال`));
    chart.append(bar);
  });
  // dates read left to right whatever the page's direction
  for (const [index, x, anchor] of [[0, WIDTH, "end"], [series.length - 1, 0, "start"]]) {
    chart.append(svg("text", { x, y: HEIGHT - 4, "text-anchor": anchor, direction: "ltr", class: "axis" },
                     series[index].date));
  }
  let start = null;
  const show = (a, b) => {
    selection.setAttribute("x", xOf(Math.max(a, b)));
    selection.setAttribute("width", (Math.abs(a - b) + 1) * slot);
  };
  chart.addEventListener("pointerdown", (event) => {
    start = indexAt(event);
    chart.setPointerCapture(event.pointerId);
    show(start, start);
  });
  chart.addEventListener("pointermove", (event) => { if (start !== null) show(start, indexAt(event)); });
  chart.addEventListener("pointerup", (event) => {
    if (start === null) return;
    const end = indexAt(event);
    const [low, high] = [Math.min(start, end), Math.max(start, end)];
    start = null;
    const from = dayNear(series, low, 1);
    const to = dayNear(series, high, -1);
    if (from <= to) onRange(from, to);
  });
  box.append(chart);
}
