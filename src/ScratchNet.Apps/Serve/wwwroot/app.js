// scratchnet serve: the two pages' script. Plain DOM, no framework, no build step; every value from the server is
// inserted as text (textContent), never as HTML.
"use strict";

// The US EPA AQI category colours (background, text), by band name; other bands get a grey ramp.
const EPA = {
  "good": ["#00e400", "#000"], "moderate": ["#ffff00", "#000"], "unhealthy for sensitive groups": ["#ff7e00", "#000"],
  "unhealthy": ["#ff0000", "#fff"], "very unhealthy": ["#8f3f97", "#fff"], "hazardous": ["#7e0023", "#fff"], "severe": ["#7e0023", "#fff"],
};

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "style") e.style.cssText = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

function fmt(v, digits = 3) {
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(digits + 1).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json().catch(() => ({ error: `${r.status} ${r.statusText}` }));
  if (!r.ok) throw new Error(body.error || `${r.status} ${r.statusText}`);
  return body;
}

// ---- Try a model -------------------------------------------------------------------------------------------------

let models = [];
let maxUploadBytes = Infinity;

function currentModel() {
  const id = document.getElementById("model").value;
  return models.find(m => m.id === id);
}

function describeModel() {
  const m = currentModel();
  const span = document.getElementById("model-tasks");
  if (!m) { span.textContent = ""; return; }
  span.textContent = m.error ? `cannot read: ${m.error}` : m.tasks.map(t => `${t.name} (${t.kind})`).join(", ");
}

function bar(label, p, chosen, threshold) {
  const track = el("span", { class: "track" }, el("span", { class: "fill", style: `width:${(100 * p).toFixed(1)}%` }));
  if (threshold !== undefined && threshold !== null) track.append(el("span", { class: "threshold", style: `left:${(100 * threshold).toFixed(1)}%`, title: `threshold ${fmt(threshold)}` }));
  return el("div", { class: "bar" + (chosen ? " chosen" : ""), "data-label": label }, el("span", {}, label), track, el("span", { class: "p" }, (100 * p).toFixed(1) + " %"));
}

function bandBadge(band) {
  const [bg, fg] = EPA[band.toLowerCase()] || ["#d0d5dd", "#000"];
  return el("span", { class: "band", style: `background:${bg};color:${fg}` }, band);
}

function renderTask(name, answer, info) {
  const box = el("div", { class: "task", "data-task": name }, el("div", { class: "task-name" }, name));
  if (answer.not_applicable) {
    // "is_sky = not_sky": the rule's task and the label it got. The sky model reads "not a sky photo: no AQI".
    const [task, label] = answer.not_applicable.split(" = ");
    const words = label ? `${label.replace(/^not_/, "not a ").replace(/_/g, " ")}${label.startsWith("not_") ? " photo" : ""}` : answer.not_applicable;
    box.append(el("div", { class: "na" }, `${words}: no ${name}`),
      el("div", { class: "muted" }, `${name} is only predicted when ${info && info.when ? info.when : "its rule holds"}; here ${task} = ${label}`));
    return box;
  }
  if (answer.kind === "classification") {
    box.append(el("div", { class: "headline" }, el("span", { class: "label" }, answer.label), " ", el("span", { class: "muted prob" }, `p ${answer.probability.toFixed(3)}`)));
    const probs = Object.entries(answer.probabilities || {}).sort((a, b) => b[1] - a[1]);
    for (const [label, p] of probs) box.append(bar(label, p, label === answer.label));
  } else if (answer.kind === "regression") {
    const line = el("div", { class: "headline" }, el("span", { class: "value" }, fmt(answer.value, 3)));
    if (answer.band) line.append(bandBadge(answer.band));
    box.append(line);
  } else {
    const tags = answer.tags || [];
    box.append(el("div", { class: "headline" }, tags.length ? tags.join(", ") : el("span", { class: "muted" }, "no tag above its threshold")));
    const labels = info ? info.labels : Object.keys(answer.probabilities || {});
    const probs = Object.entries(answer.probabilities || {}).sort((a, b) => b[1] - a[1]);
    for (const [label, p] of probs) {
      const t = info && info.thresholds ? info.thresholds[labels.indexOf(label)] : undefined;
      box.append(bar(label, p, tags.includes(label), t));
    }
  }
  return box;
}

function renderResult(card, prediction, model) {
  const answers = card.querySelector(".answers");
  answers.querySelector(".status").remove();
  if (prediction.error) { answers.append(el("p", { class: "error" }, prediction.error)); return; }
  for (const [name, answer] of Object.entries(prediction.tasks)) {
    const info = model && model.tasks ? model.tasks.find(t => t.name === name) : undefined;
    answers.append(renderTask(name, answer, info));
  }
}

async function predictFile(file) {
  const model = currentModel();
  const url = URL.createObjectURL(file);
  const card = el("div", { class: "result", "data-file": file.name },
    el("img", { src: url, alt: file.name }),
    el("div", { class: "answers" }, el("h4", {}, file.name), el("p", { class: "status muted" }, "predicting…")));
  document.getElementById("results").prepend(card);
  if (file.size > maxUploadBytes) {   // refused here: a browser cannot read the server's 413 while it is still sending
    renderResult(card, { error: `'${file.name}' is ${(file.size / 1048576).toFixed(1)} MiB; the server takes up to ${maxUploadBytes / 1048576} MiB (--max-upload)` }, model);
    card.classList.add("done");
    return;
  }
  const form = new FormData();
  form.append("image", file, file.name);
  if (model) form.append("model", model.id);
  try {
    const r = await fetch("/api/predict", { method: "POST", body: form });
    const body = await r.json().catch(() => ({ error: `${r.status} ${r.statusText}` }));
    renderResult(card, r.ok ? body : { error: body.error || `${r.status}` }, model);
  } catch (e) {
    renderResult(card, { error: `the server did not answer (${e.message})` }, model);
  }
  card.classList.add("done");
}

async function predictFiles(files) {
  for (const f of files) await predictFile(f);   // one at a time: the server runs one forward pass per model at a time anyway
}

async function loadRuns() {
  const runs = await getJson("/api/runs");
  const table = document.getElementById("runs-table");
  const body = table.querySelector("tbody");
  document.getElementById("runs-empty").hidden = runs.length > 0;
  table.hidden = runs.length === 0;
  for (const r of runs) {
    body.append(el("tr", { "data-run": r.name },
      el("td", {}, el("a", { href: `/run?name=${encodeURIComponent(r.name)}` }, r.name)),
      el("td", {}, new Date(r.modified).toLocaleString()),
      el("td", {}, r.headline || el("span", { class: "muted" }, "not finished")),
      el("td", {}, r.has_model ? "yes" : "—")));
  }
}

async function initTry() {
  const select = document.getElementById("model");
  try { models = await getJson("/api/models"); } catch (e) { models = []; }
  try { maxUploadBytes = (await getJson("/api/limits")).max_upload_bytes; } catch (e) { /* the server's 413 then */ }
  for (const m of models) select.append(el("option", { value: m.id }, m.id));
  document.getElementById("no-models").hidden = models.length > 0;
  document.getElementById("model-row").hidden = models.length === 0;
  select.addEventListener("change", describeModel);
  describeModel();

  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  input.addEventListener("change", () => { predictFiles([...input.files]); input.value = ""; });
  drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", e => { e.preventDefault(); drop.classList.remove("over"); predictFiles([...e.dataTransfer.files]); });
  await loadRuns();
}

// ---- A run ---------------------------------------------------------------------------------------------------------

// The scalar figures of one task's metrics ("accuracy", "regression.mae", …); matrices and lists are left to the plots.
function scalars(obj, prefix = "") {
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === "task" || k === "kind") continue;
    if (typeof v === "number") out.push([prefix + k, v]);
    else if (v && typeof v === "object" && !Array.isArray(v) && k !== "confusion" && k !== "band_confusion") out.push(...scalars(v, prefix + k + "."));
    else if (v && typeof v === "object" && !Array.isArray(v) && typeof v.accuracy === "number") out.push([prefix + k + ".accuracy", v.accuracy]);
  }
  return out;
}

function metricsTable(title, split) {
  const table = el("table", { "data-split": title }, el("caption", {}, `${title} (${split.sample_count} images, loss ${fmt(split.loss)})`),
    el("thead", {}, el("tr", {}, el("th", {}, "task"), el("th", {}, "metric"), el("th", {}, "value"))));
  const body = el("tbody");
  for (const t of split.tasks) {
    const rows = scalars(t);
    rows.forEach(([name, v], i) => {
      const tr = el("tr");
      if (i === 0) tr.append(el("td", { rowspan: rows.length }, `${t.task} (${t.kind})`));
      tr.append(el("td", {}, name), el("td", { class: "num" }, fmt(v, 4)));
      body.append(tr);
    });
  }
  table.append(body);
  return el("div", { class: "metrics-split" }, table);
}

async function initRun() {
  const name = new URLSearchParams(location.search).get("name") || "";
  document.getElementById("run-name").textContent = name ? `Run ${name}` : "Run";
  document.title = `ScratchNet — ${name}`;
  let d;
  try { d = await getJson(`/api/runs/${encodeURIComponent(name)}/details`); }
  catch (e) {
    const p = document.getElementById("run-error");
    p.textContent = e.message; p.hidden = false;
    for (const id of ["run-metrics", "run-plots", "run-log", "run-config"]) document.getElementById(id).hidden = true;
    return;
  }
  const summary = [];
  if (d.best_epoch !== undefined) summary.push(`best epoch ${d.best_epoch}`);
  if (d.log) summary.push(`${d.log.rows.length} epochs logged`);
  if (!d.metrics) summary.push("not finished: no test metrics yet");
  document.getElementById("run-summary").textContent = summary.join(" · ");

  const tables = document.getElementById("metrics-tables");
  if (d.metrics) {
    if (d.metrics.validation) tables.append(metricsTable("validation", d.metrics.validation));
    if (d.metrics.test) tables.append(metricsTable("test", d.metrics.test));
  } else tables.append(el("p", { class: "muted" }, "none yet"));

  const plots = document.getElementById("plots");
  for (const p of d.plots) {
    plots.append(el("figure", {}, el("img", { src: `/runs/${encodeURIComponent(name)}/files/${encodeURIComponent(p)}`, alt: p }), el("figcaption", {}, p)));
  }
  if (d.plots.length === 0) plots.append(el("p", { class: "muted" }, "none yet"));

  if (d.log) {
    const table = document.getElementById("log-table");
    table.querySelector("thead").append(el("tr", {}, ...d.log.columns.map(c => el("th", {}, c))));
    const body = table.querySelector("tbody");
    for (const row of d.log.rows) {
      const tr = el("tr", d.best_epoch !== undefined && row[0] === String(d.best_epoch) ? { class: "best", style: "background:#eefbf1" } : {});
      for (const cell of row) {
        const n = Number(cell);
        tr.append(el("td", { class: "num" }, cell !== "" && Number.isFinite(n) ? fmt(n, 4) : cell));
      }
      body.append(tr);
    }
  } else document.getElementById("run-log").hidden = true;

  document.getElementById("config").textContent = d.config ? JSON.stringify(d.config, null, 2) : "(experiment.json unreadable)";
}

document.addEventListener("DOMContentLoaded", () => {
  (document.body.dataset.page === "run" ? initRun() : initTry()).catch(e => console.error(e));
});
