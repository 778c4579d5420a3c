// The coordinator's read-only console: polls the coordinator's JSON every second and shows it.
// No framework and nothing fetched from elsewhere; text is always inserted as text, never as HTML.
"use strict";

const POLL_MS = 1000;
let timer = null;
let route = null;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.appendChild(c); else td.textContent = c === undefined || c === null ? "" : String(c);
    tr.appendChild(td);
  }
  return tr;
}

function fill(tableId, rows) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren(...rows);
}

function code(text) { return el("code", text); }

function bar(fraction) {
  const p = document.createElement("progress");
  p.max = 1;
  p.value = Math.max(0, Math.min(1, fraction || 0));
  p.title = Math.round(p.value * 100) + " %";
  const wrap = el("span");
  wrap.appendChild(p);
  wrap.appendChild(el("span", " " + Math.round(p.value * 100) + " %", "muted"));
  return wrap;
}

function time(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

function bytes(n) {
  if (n === undefined || n === null) return "";
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = Number(n), u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return (u === 0 ? v : v.toFixed(1)) + " " + units[u];
}

async function get(path) {
  const r = await fetch(path, { cache: "no-store", credentials: "same-origin" });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

function connected(ok, detail) {
  const c = document.getElementById("connection");
  c.textContent = ok ? "live" : "not reachable: " + detail;
  c.className = ok ? "ok" : "bad";
}

// ---- overview ----

async function showOverview() {
  const [p, s] = await Promise.all([get("/api/participants"), get("/api/studies")]);
  document.getElementById("coordinator-name").textContent = p.coordinator.name;
  document.getElementById("log-key").textContent = p.coordinator.log_key_fingerprint;
  document.getElementById("ca-fingerprint").textContent = p.coordinator.ca_sha256;
  const people = [row([p.coordinator.name, "coordinator", code(p.coordinator.certificate_sha256), time(p.coordinator.started)])];
  for (const n of p.nodes) people.push(row([n.name, n.role, code(n.certificate_sha256), time(n.connected_since)]));
  fill("participants", people);
  const rows = s.studies.map(st => {
    const link = el("a", st.id);
    link.href = "#/study/" + encodeURIComponent(st.id);
    link.className = "study-link";
    const current = st.phases.find(ph => ph.name === st.phase);
    const state = el("span", st.state || "STARTING", "state " + stateClass(st.state));
    state.dataset.study = st.id;
    return row([link, st.task, st.participants.join(", "), state, st.phase,
      st.ended ? "" : bar(current ? current.progress : 0), time(st.started)]);
  });
  fill("studies", rows);
  document.getElementById("no-studies").hidden = rows.length > 0;
}

function stateClass(state) {
  return state === "DESTROYED" ? "ok" : state === "ABORTED" ? "bad" : "";
}

// ---- one study ----

let logFetchedAfterEnd = false;

async function showStudy(id) {
  const st = await get("/api/studies/" + encodeURIComponent(id));
  document.getElementById("study-id").textContent = st.id;
  document.getElementById("study-task").textContent = st.task || "";
  document.getElementById("study-participants").textContent = (st.participants || []).join(", ");
  const state = document.getElementById("study-state");
  state.textContent = st.state || "STARTING";
  state.className = "state " + stateClass(st.state);
  document.getElementById("study-phase").textContent = st.phase || "";
  document.getElementById("study-message").textContent = st.message || "";
  document.getElementById("study-seconds").textContent = st.seconds !== undefined ? st.seconds.toFixed(1) + " s" : "";
  const abort = document.getElementById("study-abort");
  abort.hidden = !st.abort_reason;
  abort.textContent = st.abort_reason ? "Aborted: " + st.abort_reason : "";
  fill("phases", (st.phases || []).map(ph => {
    const tr = row([ph.name, bar(ph.progress), time(ph.started),
      (ph.wall_seconds !== undefined ? ph.wall_seconds : ph.seconds || 0).toFixed(2),
      bytes(ph.bytes_sent)]);
    tr.dataset.phase = ph.name;
    return tr;
  }));
  showReport(st);
  if (!st.ended || !logFetchedAfterEnd) {
    await showLog(id);
    logFetchedAfterEnd = !!st.ended;
  }
}

function showReport(st) {
  const verdict = document.getElementById("report-verdict");
  const r = st.summary && st.summary.report;
  verdict.replaceChildren();
  if (r) {
    verdict.appendChild(document.createTextNode("Verdict: "));
    verdict.appendChild(el("span", r.verdict, r.verdict === "FAIL" ? "bad" : "ok"));
    const arts = Object.entries(r.articles || {}).map(([k, v]) => "article " + k + " " + v).join(", ");
    if (arts) verdict.appendChild(document.createTextNode(" (" + arts + ")"));
    if (r.release_blocked) verdict.appendChild(el("span", " — the model's release is blocked", "bad"));
  }
  const has = !!st.has_report;
  document.getElementById("report-links").hidden = !has;
  document.getElementById("no-report").hidden = has;
  if (has) {
    const base = "/studies/" + encodeURIComponent(st.id) + "/";
    document.getElementById("report-link").href = base + "report.html";
    document.getElementById("report-open").href = base + "report.html";
    document.getElementById("report-json").href = base + "report.json";
  }
}

async function showLog(id) {
  const log = await get("/api/studies/" + encodeURIComponent(id) + "/log");
  document.getElementById("log-entries").textContent = log.problem
    ? "The log cannot be read: " + log.problem
    : log.entries + " entries, signed with key " + log.key_fingerprint;
  fill("checkpoints", (log.checkpoints || []).map(c => row([c.tree_size, code(c.root), code(c.key_fingerprint),
    el("span", c.signature_valid ? "valid" : "INVALID", c.signature_valid ? "ok" : "bad"), time(c.time)])));
  const receipts = (log.receipts || []).map(r => {
    const tr = row([r.node, r.files, bytes(r.bytes), code(r.listing_sha256), time(r.destroyed_at),
      el("span", r.verified ? "verified" : "NOT verified: " + (r.problem || ""), r.verified ? "ok" : "bad")]);
    tr.dataset.node = r.node || "";
    return tr;
  });
  fill("receipts", receipts);
  document.getElementById("no-receipts").hidden = receipts.length > 0;
  fill("entries", (log.latest_entries || []).slice().reverse().map(e => row([e.index, time(e.time), e.kind, e.what])));
}

async function verify() {
  const id = route && route.study;
  if (!id) return;
  const out = document.getElementById("verify-result");
  const detail = document.getElementById("verify-detail");
  out.textContent = "verifying…";
  out.className = "muted";
  try {
    const v = await get("/api/studies/" + encodeURIComponent(id) + "/verify");
    out.textContent = v.ok
      ? "OK: " + v.entries + " entries, " + v.checkpoints + " checkpoints, root " + v.root.slice(0, 16) + "…"
      : "FAILED: " + v.problems[0];
    out.className = v.ok ? "ok" : "bad";
    const lines = [v.summary.trim()];
    if (v.joins) lines.push("joins:    " + v.joins.join(", ") + " (signatures over the plan verified)");
    if (v.receipts) lines.push("receipts: " + v.receipts.join(", "));
    for (const w of v.warnings) lines.push("warning:  " + w);
    for (const p of v.problems) lines.push("problem:  " + p);
    detail.textContent = lines.join("\n");
    detail.hidden = false;
  } catch (e) {
    out.textContent = "verification failed: " + e.message;
    out.className = "bad";
  }
}

// ---- routing and polling ----

function parseRoute() {
  const m = location.hash.match(/^#\/study\/([^/]+)$/);
  return m ? { study: decodeURIComponent(m[1]) } : { study: null };
}

async function tick() {
  try {
    if (route.study) await showStudy(route.study); else await showOverview();
    connected(true);
  } catch (e) {
    connected(false, e.message);
  }
}

function navigate() {
  route = parseRoute();
  logFetchedAfterEnd = false;
  document.getElementById("overview").hidden = !!route.study;
  document.getElementById("study").hidden = !route.study;
  document.getElementById("verify-result").textContent = "";
  document.getElementById("verify-detail").hidden = true;
  const frame = document.getElementById("report-frame");
  frame.hidden = true;
  frame.removeAttribute("src");
  if (timer) clearInterval(timer);
  tick();
  timer = setInterval(tick, POLL_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("verify").addEventListener("click", verify);
  document.getElementById("report-link").addEventListener("click", () => {
    document.getElementById("report-frame").hidden = false;
  });
  window.addEventListener("hashchange", navigate);
  navigate();
});
