// The page of `jixiao serve`: sends dropped files to this machine's jixiao and shows what it
// answers. Every text from a file is put into the page as text (textContent), never as
// markup; the tables of the forms come from render::html, which escapes them.
"use strict";

(function () {
  const body = document.body;
  const MAX_BYTES = Number(body.dataset.maxBytes);
  const MAX_FILES = Number(body.dataset.maxFiles);
  const ACCEPTED = /\.(xlsx|xlsm|xls|ods|pdf|json|toml|zip)$/i;

  const $ = (id) => document.getElementById(id);
  const drop = $("drop");
  const picker = $("files");
  const status = $("status");
  const forms = $("forms");
  const summary = $("summary");
  const signoff = $("signoff");

  let current = null; // the batch shown: its id, roles and forms
  const signed = {}; // sign-off names and date typed into the page, kept across drops

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function say(text, error) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(error));
  }

  // Dropping anywhere on the page is a drop; the browser never opens the file itself.
  for (const type of ["dragenter", "dragover"]) {
    document.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add("over");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    document.addEventListener(type, (e) => {
      e.preventDefault();
      if (type === "drop" || e.target === document.documentElement) drop.classList.remove("over");
    });
  }
  document.addEventListener("drop", (e) => {
    if (e.dataTransfer && e.dataTransfer.files.length) send(Array.from(e.dataTransfer.files));
  });
  picker.addEventListener("change", () => {
    if (picker.files.length) send(Array.from(picker.files));
    picker.value = "";
  });

  async function send(files) {
    const bytes = files.reduce((n, f) => n + f.size, 0);
    if (files.length > MAX_FILES) {
      say(`一次最多检查 ${MAX_FILES} 个文件（本次 ${files.length} 个）：请分批拖入`, true);
      return;
    }
    if (bytes > MAX_BYTES) {
      say(`上传的文件合计超过 ${Math.round(MAX_BYTES / 1048576)} MB：请分批拖入`, true);
      return;
    }
    const skipped = files.filter((f) => !ACCEPTED.test(f.name));
    const data = new FormData();
    for (const f of files) data.append("files", f, f.name);
    data.append("layout", $("layout").value);
    say(`正在检查 ${files.length} 个文件……`);
    document.body.setAttribute("aria-busy", "true");
    let answer;
    try {
      const response = await fetch("/api/check", { method: "POST", body: data });
      answer = await response.json().catch(() => ({ error: `服务返回了 ${response.status}` }));
      if (!response.ok && !answer.error) answer.error = `服务返回了 ${response.status}`;
    } catch (err) {
      answer = { error: "无法连接本机的 jixiao：请确认 jixiao serve 仍在运行" };
    } finally {
      document.body.removeAttribute("aria-busy");
    }
    if (answer.error) {
      say(answer.error, true);
      return;
    }
    show(answer);
    const n = answer.forms.length;
    const bad = answer.failures.length;
    const errors = answer.forms.filter((f) => f.row.errors > 0).length;
    let line = `已检查 ${n} 份表：${errors} 份有错误`;
    if (bad) line += `；${bad} 个文件未能读取`;
    if (skipped.length && bad) line += "（含不支持的文件类型）";
    say(line + "。");
    document.body.dataset.batch = answer.batch;
  }

  function show(answer) {
    current = answer;
    forms.replaceChildren();
    showSignoff(answer);
    const batch = answer.forms.length + answer.failures.length > 1;
    summary.hidden = !batch;
    if (batch) showSummary(answer);
    // A large batch shows each table when it is opened: thousands of tables at once would
    // make the page slow.
    const open = answer.forms.length <= DRAWN;
    answer.forms.forEach((form) => forms.append(formCard(answer, form, open)));
    updateLinks();
  }

  // How many forms a batch may have for all their tables to be drawn at once.
  const DRAWN = 20;

  // Opening a form from the summary draws its table.
  window.addEventListener("hashchange", () => {
    const card = document.querySelector(location.hash.startsWith("#form-") ? location.hash : null);
    const details = card && card.querySelector("details.table");
    if (details) details.open = true;
  });

  function showSignoff(answer) {
    const fields = $("signoff-fields");
    fields.replaceChildren();
    const keys = answer.roles.map((r) => [r, r]).concat([["date", answer.date_label]]);
    for (const [key, label] of keys) {
      const input = el("input", {
        type: "text",
        name: key,
        value: signed[key] || "",
        placeholder: key === "date" ? "2025-03-01" : "姓名",
        maxlength: 100,
      });
      input.addEventListener("input", () => {
        signed[key] = input.value.trim();
        if (key === "date") {
          input.classList.toggle("invalid", signed.date !== "" && !/^\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?$/.test(signed.date));
        }
        updateLinks();
      });
      fields.append(el("label", {}, label, input));
    }
    signoff.hidden = answer.forms.length === 0;
  }

  // Every download link carries the sign-off typed into the page.
  function query() {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(signed)) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : "";
  }

  function updateLinks() {
    const q = query();
    for (const a of document.querySelectorAll("a[data-file]")) a.href = a.dataset.file + q;
  }

  // The summary's columns come with each batch (the 汇总表's, in order): each with its key
  // in a form's row, its header, and whether its values are figures.
  function showSummary(answer) {
    const table = $("summary-table");
    table.replaceChildren();
    const head = el("tr");
    answer.columns.forEach((column, k) => {
      const th = el("th", { scope: "col", "data-col": k }, column.header);
      th.addEventListener("click", () => sortBy(table, k, th, column.numeric));
      head.append(th);
    });
    table.append(el("thead", {}, head));
    const tbody = el("tbody");
    for (const form of answer.forms) {
      const tr = el("tr");
      answer.columns.forEach((column, k) => {
        const v = form.row[column.key];
        const text = v === null || v === undefined ? "—" : String(v);
        const td = el("td", { class: column.numeric ? "num" : null, "data-sort": v === null ? "" : String(v) });
        if (k === 0) {
          td.append(el("a", { href: `#form-${form.id}` }, text));
        } else {
          td.append(text);
        }
        if (column.key === "errors" && v > 0) td.classList.add("bad");
        tr.append(td);
      });
      tbody.append(tr);
    }
    table.append(tbody);
    $("zip").dataset.file = `/api/batch/${answer.batch}/all.zip`;
    const list = $("failure-list");
    list.replaceChildren();
    for (const f of answer.failures) {
      list.append(el("li", {}, el("span", { class: "source" }, f.source), "　", f.reason));
    }
    $("failures").hidden = answer.failures.length === 0;
  }

  function sortBy(table, k, th, numeric) {
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    for (const other of table.querySelectorAll("th")) other.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const tbody = table.tBodies[0];
    const rows = Array.from(tbody.rows);
    const key = (tr) => tr.cells[k].dataset.sort;
    rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      let c;
      if (numeric) {
        const nx = x === "" ? -Infinity : parseFloat(x);
        const ny = y === "" ? -Infinity : parseFloat(y);
        c = nx - ny;
      } else {
        c = x.localeCompare(y, "zh-CN");
      }
      return ascending ? c : -c;
    });
    tbody.append(...rows);
  }

  function score(label, value, changed) {
    return el("div", { class: changed ? "score changed" : "score" }, el("span", { class: "label" }, label), el("span", { class: "value" }, value));
  }

  function formCard(answer, form, open) {
    const s = form.scores;
    const r = form.row;
    const card = el("article", { class: "form-card", id: `form-${form.id}`, "data-form": form.id });
    card.append(
      el("header", {},
        el("h2", {}, r.project || "（未填写项目名称）"),
        el("span", { class: "source" }, `${r.source} · 表样 ${form.layout}`)),
    );
    card.append(
      el("div", { class: "scores" },
        score("执行率", s.execution_rate === null ? "—" : `${s.execution_rate}%`),
        score("预算执行得分", s.funds_score === null ? "—" : s.funds_score),
        score("自评总分", `${s.total}（${s.grade}）`),
        score("复核总分", `${s.reviewed_total}（${s.reviewed_grade}）`, s.reviewed_total !== s.total)),
    );
    const base = `/api/batch/${answer.batch}/${form.id}`;
    card.append(
      el("p", { class: "downloads" },
        el("a", { class: "button", "data-file": `${base}.xlsx`, href: `${base}.xlsx`, download: `${form.name}.xlsx` }, "下载填报用 xlsx"),
        el("a", { class: "button", "data-file": `${base}.pdf`, href: `${base}.pdf`, download: `${form.name}.pdf` }, "下载归档用 PDF")),
    );
    card.append(indicators(form));
    const table = el("details", { class: "table" }, el("summary", {}, `自评表与审核意见（${form.row.errors} 个错误，${form.row.warnings} 个警告）`));
    table.addEventListener("toggle", () => {
      if (table.open && !table.dataset.drawn) draw(card, table, form);
    });
    card.append(table);
    if (open) {
      table.open = true;
      draw(card, table, form);
    }
    return card;
  }

  // The form's table and its findings, from render::html (which escapes every text).
  function draw(card, details, form) {
    details.dataset.drawn = "1";
    const table = el("div", { class: "drawn" });
    table.innerHTML = form.html;
    details.append(table);
    for (const item of table.querySelectorAll(".jx-notes li[data-cell]")) {
      // The server gives the finding's rule as its title; the click is said after it.
      item.title = item.title ? `${item.title}\n（点击查看表中位置）` : "点击查看表中位置";
      item.addEventListener("click", () => {
        const cell = card.querySelector(`td[data-cell="${item.dataset.cell}"]`);
        if (!cell) return;
        cell.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
        cell.classList.remove("jx-flash");
        void cell.offsetWidth; // restart the animation
        cell.classList.add("jx-flash");
      });
    }
  }

  function indicators(form) {
    const details = el("details", { class: "indicators" }, el("summary", {}, `各指标得分与计分方法（${form.indicators.length} 项）`));
    const table = el("table", { class: "indicator-table" });
    table.append(el("thead", {}, el("tr", {}, ...["一级指标", "二级指标", "三级指标", "分值", "自评得分", "计算得分", "计分方法"].map((h) => el("th", { scope: "col" }, h)))));
    const tbody = el("tbody");
    for (const ind of form.indicators) {
      const lower = ind.computed !== null && ind.declared !== null && parseFloat(ind.computed) < parseFloat(ind.declared);
      tbody.append(
        el("tr", { class: lower ? "lower" : null },
          el("td", {}, ind.level1),
          el("td", {}, ind.level2),
          el("td", {}, ind.name),
          el("td", { class: "num" }, ind.weight ?? "—"),
          el("td", { class: "num" }, ind.declared ?? "—"),
          el("td", { class: "num computed" }, ind.computed ?? "不可计算"),
          el("td", {}, ind.method)),
      );
    }
    table.append(tbody);
    details.append(table);
    return details;
  }
})();
