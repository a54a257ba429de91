// The saga explorer: polls the checkout API once a second and updates the page in place.
"use strict";

const state = { page: 0, size: 50, status: "", stuck: false, selected: null, totalPages: 0 };
const $ = (id) => document.getElementById(id);

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(url + " answered " + response.status);
  return response.json();
}

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content == null ? "" : String(content);
  if (className) element.className = className;
  return element;
}

function duration(ms) {
  if (ms == null) return "";
  if (ms < 1000) return ms + " ms";
  if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
  return Math.floor(ms / 60000) + " min " + Math.round((ms % 60000) / 1000) + " s";
}

function shortId(id) { return id.length > 13 ? id.slice(0, 8) + "…" : id; }

async function refreshList() {
  const params = new URLSearchParams({ page: state.page, size: state.size });
  if (state.status) params.set("status", state.status);
  if (state.stuck) params.set("stuck", "true");
  const page = await getJson("/checkouts?" + params);
  state.totalPages = page.totalPages;
  const body = $("checkouts").querySelector("tbody");
  // Re-render only what changed: rows stay put (and clickable) while nothing happens to them.
  const signature = JSON.stringify(page.items.map((c) => [c.id, c.status, c.currentStep, c.stuck, c.reason,
    c.endedAt ? c.ageMillis : Math.floor(c.ageMillis / 1000)])) + page.totalItems + state.selected;
  if (signature === state.listSignature) return;
  state.listSignature = signature;
  const rows = page.items.map((c) => {
    const row = document.createElement("tr");
    row.dataset.checkoutId = c.id;
    row.dataset.status = c.status;
    if (c.stuck) row.classList.add("stuck");
    if (c.id === state.selected) row.classList.add("selected");
    const id = text("td", shortId(c.id));
    id.title = c.id;
    const status = document.createElement("td");
    status.append(text("span", c.status, "badge " + c.status));
    if (c.stuck) status.append(" ", text("span", "stuck", "badge stuck"));
    row.append(id, status, text("td", c.currentStep || c.failedStep || ""), text("td", duration(c.ageMillis)),
      text("td", c.reason || "", "reason"));
    row.addEventListener("click", () => select(c.id));
    return row;
  });
  body.replaceChildren(...rows);
  $("empty").hidden = page.totalItems > 0;
  $("page-info").textContent = page.totalItems === 0 ? "0"
    : (page.page * page.size + 1) + "–" + (page.page * page.size + page.items.length) + " of " + page.totalItems;
  $("prev").disabled = state.page === 0;
  $("next").disabled = state.page + 1 >= state.totalPages;
}

async function refreshStats() {
  const stats = await getJson("/checkouts/stats?window=PT5M&bucket=PT5S");
  for (const status of ["RUNNING", "COMPLETED", "FAILED"]) $("count-" + status).textContent = stats.counts[status];
  $("count-stuck").textContent = stats.stuck;
  drawChart(stats.buckets);
}

function drawChart(buckets) {
  const canvas = $("chart");
  const ctx = canvas.getContext("2d");
  const width = canvas.width, height = canvas.height, pad = 30;
  ctx.clearRect(0, 0, width, height);
  const maxCount = Math.max(1, ...buckets.map((b) => b.completed + b.failed));
  const maxLatency = Math.max(1, ...buckets.map((b) => b.p95Millis || 0));
  const step = (width - 2 * pad) / buckets.length;
  ctx.font = "11px system-ui";
  ctx.fillStyle = "#57606a";
  ctx.fillText(maxCount + " per 5 s", 2, 12);
  ctx.fillText("p95 max " + duration(maxLatency), width - 110, 12);
  buckets.forEach((b, i) => {
    const x = pad + i * step;
    const okHeight = (b.completed / maxCount) * (height - 2 * pad);
    const badHeight = (b.failed / maxCount) * (height - 2 * pad);
    ctx.fillStyle = "#1a7f37";
    ctx.fillRect(x, height - pad - okHeight, step - 2, okHeight);
    ctx.fillStyle = "#cf222e";
    ctx.fillRect(x, height - pad - okHeight - badHeight, step - 2, badHeight);
  });
  for (const [key, color] of [["p50Millis", "#0969da"], ["p95Millis", "#bf8700"]]) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let started = false;
    buckets.forEach((b, i) => {
      if (b[key] == null) { started = false; return; }
      const x = pad + i * step + step / 2;
      const y = height - pad - (b[key] / maxLatency) * (height - 2 * pad);
      if (started) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      started = true;
    });
    ctx.stroke();
    ctx.fillStyle = color;
    buckets.forEach((b, i) => {
      if (b[key] == null) return;
      const y = height - pad - (b[key] / maxLatency) * (height - 2 * pad);
      ctx.beginPath();
      ctx.arc(pad + i * step + step / 2, y, 3, 0, 2 * Math.PI);
      ctx.fill();
    });
  }
  ctx.strokeStyle = "#d0d7de";
  ctx.beginPath();
  ctx.moveTo(pad, height - pad);
  ctx.lineTo(width - pad, height - pad);
  ctx.stroke();
}

async function select(id) {
  state.selected = id;
  document.querySelectorAll("#checkouts tbody tr").forEach((r) => r.classList.toggle("selected", r.dataset.checkoutId === id));
  await refreshDetail();
}

async function refreshDetail() {
  if (!state.selected) return;
  const c = await getJson("/checkouts/" + encodeURIComponent(state.selected));
  const panel = $("detail");
  panel.hidden = false;
  panel.dataset.checkoutId = c.id;
  panel.dataset.status = c.status;
  $("detail-id").textContent = c.id;
  $("detail-status").textContent = c.status;
  $("detail-status").className = "badge " + c.status;
  $("detail-summary").textContent = "order " + c.orderId + " · " + c.lines.length + " line(s) · "
    + (c.endedAt ? "took " : "running for ") + duration(c.ageMillis) + (c.stuck ? " · stuck" : "");
  $("detail-reason").textContent = c.reason ? (c.failedStep ? c.failedStep + " failed: " : "") + c.reason : "";
  const p = c.participants;
  const parts = [];
  if (p && p.order) parts.push("Order now " + p.order.status + (p.order.total != null ? ", total " + p.order.total : ""));
  if (p) for (const product of p.products) parts.push(product.name + ": " + product.stock + " available, " + product.reserved + " reserved");
  if (p) for (const missing of p.unavailable) parts.push(missing);
  $("detail-participants").textContent = parts.join(" · ");
  const signature = JSON.stringify(c.steps) + c.status;
  if (signature === state.timelineSignature) return;
  state.timelineSignature = signature;
  const start = Date.parse(c.createdAt);
  let compensating = false;
  const items = c.steps.map((s) => {
    if (s.outcome === "COMPENSATING") compensating = true;
    const item = document.createElement("li");
    item.className = s.outcome + (compensating ? " compensation" : "");
    item.dataset.step = s.step;
    item.dataset.outcome = s.outcome;
    item.append(text("span", "+" + duration(Date.parse(s.at) - start), "when"), " ",
      text("span", s.step, "step"), " ", text("span", s.outcome, "outcome"),
      s.attempt ? " (attempt " + s.attempt + ")" : "",
      s.durationMillis != null ? " in " + duration(s.durationMillis) : "",
      s.productId ? " · product " + shortId(s.productId) : "", " ",
      text("span", s.detail || "", "detail"));
    return item;
  });
  $("timeline").replaceChildren(...items);
}

async function tick() {
  try {
    await Promise.all([refreshList(), refreshStats()]);
    // The selected checkout is read again every time, ended or not: its timeline fills in a moment after the end
    // (the participants' answers come through their own event processor).
    if (state.selected) await refreshDetail();
    $("connection").textContent = "updated " + new Date().toLocaleTimeString();
    $("connection").classList.remove("down");
  } catch (error) {
    $("connection").textContent = "not reachable: " + error.message;
    $("connection").classList.add("down");
  }
}

$("filter-status").addEventListener("change", (e) => { state.status = e.target.value; state.page = 0; tick(); });
$("filter-stuck").addEventListener("change", (e) => { state.stuck = e.target.checked; state.page = 0; tick(); });
$("prev").addEventListener("click", () => { if (state.page > 0) { state.page--; tick(); } });
$("next").addEventListener("click", () => { if (state.page + 1 < state.totalPages) { state.page++; tick(); } });

tick();
setInterval(tick, 1000);
