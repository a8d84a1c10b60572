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
  // in a form's row, its header, and whether its values are figures. Project forms and
  // department forms are listed apart, each kind in its own columns, after a chart of the
  // grades of each kind.
  function showSummary(answer) {
    const projects = answer.forms.filter((f) => f.kind !== "department");
    const departments = answer.forms.filter((f) => f.kind === "department");
    const grouped = projects.some((f) => f.under !== null && f.under !== undefined);
    fillSummary($("summary-table"), answer.columns, projects, grouped ? answer.forms : null);
    $("project-heading").hidden = departments.length === 0;
    $("department-summary").hidden = departments.length === 0;
    fillSummary($("summary-department"), answer.department_columns, departments, null);
    const charts = $("grades");
    charts.replaceChildren();
    for (const [title, kind] of [["项目支出绩效自评表", projects], ["部门整体支出绩效自评表", departments]]) {
      if (kind.length) charts.append(gradeChart(title, kind));
    }
    $("zip").dataset.file = `/api/batch/${answer.batch}/all.zip`;
    const list = $("failure-list");
    list.replaceChildren();
    for (const f of answer.failures) {
      list.append(el("li", {}, el("span", { class: "source" }, f.source), "　", f.reason));
    }
    $("failures").hidden = answer.failures.length === 0;
  }

  // One table of the summary: a row per form in `columns`; with `all` (the batch's forms),
  // a last column names the department form each project form is listed under.
  function fillSummary(table, columns, rows, all) {
    table.replaceChildren();
    const head = el("tr");
    columns.forEach((column, k) => {
      const th = el("th", { scope: "col", "data-col": k }, column.header);
      th.addEventListener("click", () => sortBy(table, k, th, column.numeric));
      head.append(th);
    });
    if (all) {
      const k = columns.length;
      const th = el("th", { scope: "col", "data-col": k }, "所属部门整体表");
      th.addEventListener("click", () => sortBy(table, k, th, false));
      head.append(th);
    }
    table.append(el("thead", {}, head));
    const tbody = el("tbody");
    for (const form of rows) {
      const tr = el("tr", { "data-form": form.id });
      columns.forEach((column, k) => {
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
      if (all) {
        const d = form.under === null || form.under === undefined ? null : all[form.under];
        const name = d ? d.row.department : "";
        const td = el("td", { class: "under", "data-sort": name });
        td.append(d ? el("a", { href: `#form-${d.id}` }, name) : "—");
        tr.append(td);
      }
      tbody.append(tr);
    }
    table.append(tbody);
  }

  // The grades of `forms` drawn as columns, self-assessed and reviewed side by side, each
  // with its count: an inline SVG, so that a reviewer sees the batch at a glance.
  const GRADES = ["优", "良", "中", "差"];
  // The SVG namespace as the HTML parser gives it to an <svg> element (markup without any
  // text from a file), so that the script names no address.
  const SVG = (() => {
    const holder = document.createElement("div");
    holder.innerHTML = "<svg></svg>";
    return holder.firstChild.namespaceURI;
  })();
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function gradeChart(title, forms) {
    const series = [
      ["自评", "own", (f) => f.row.grade],
      ["复核", "reviewed", (f) => f.row.reviewed_grade],
    ];
    const counts = series.map(([, , grade]) => GRADES.map((g) => forms.filter((f) => grade(f) === g).length));
    const most = Math.max(1, ...counts.flat());
    const [width, height, top, bottom, left] = [360, 190, 22, 24, 10];
    const band = (width - 2 * left) / GRADES.length;
    const bar = band / 3;
    const scale = (height - top - bottom) / most;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", class: "grade-chart" });
    chart.append(svg("title", {}, `等级分布：${title}（${forms.length} 份）`));
    chart.append(svg("line", { x1: left, x2: width - left, y1: height - bottom, y2: height - bottom, class: "axis" }));
    GRADES.forEach((grade, i) => {
      const x0 = left + i * band + bar / 2;
      series.forEach(([name, cls], s) => {
        const n = counts[s][i];
        const h = n * scale;
        const x = x0 + s * bar;
        const y = height - bottom - h;
        const rect = svg("rect", { x, y, width: bar - 2, height: h, class: `bar ${cls}`, "data-grade": grade, "data-series": name, "data-count": n });
        rect.append(svg("title", {}, `${grade}（${name}）：${n} 份`));
        chart.append(rect);
        chart.append(svg("text", { x: x + (bar - 2) / 2, y: y - 4, class: "count" }, n));
      });
      chart.append(svg("text", { x: x0 + bar - 1, y: height - 6, class: "grade" }, grade));
    });
    const legend = el("span", { class: "legend" },
      el("span", { class: "key own" }), "自评　",
      el("span", { class: "key reviewed" }), "复核");
    return el("figure", { class: "grade-figure" }, el("figcaption", {}, `等级分布 · ${title}（${forms.length} 份）`, legend), chart);
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
    const department = form.kind === "department";
    const card = el("article", { class: "form-card", id: `form-${form.id}`, "data-form": form.id, "data-kind": form.kind });
    const title = department ? r.department || "（未填写部门名称）" : r.project || "（未填写项目名称）";
    card.append(
      el("header", {},
        el("h2", {}, title),
        el("span", { class: `kind ${form.kind}` }, department ? "部门整体支出绩效自评表" : "项目支出绩效自评表"),
        el("span", { class: "source" }, `${r.source} · 表样 ${form.layout}`)),
    );
    card.append(fields(form));
    if (form.under !== null && form.under !== undefined) {
      const d = answer.forms[form.under];
      card.append(el("p", { class: "under" }, "列在部门整体表 ", el("a", { href: `#form-${d.id}` }, d.row.department), " 之下（实施单位或主管部门与之同名）"));
    }
    if (form.funds.length) card.append(funds(form, department));
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

  // The header fields of the form's kind, as filed.
  function fields(form) {
    const list = el("dl", { class: "form-fields" });
    for (const f of form.header) {
      list.append(el("div", {}, el("dt", {}, f.label), el("dd", {}, f.value || "—")));
    }
    return list;
  }

  // The funds rows: 年度资金总额, then its breakdowns (by income, by expenditure), each row
  // with its figures and its rate.
  function funds(form, open) {
    const details = el("details", { class: "funds", open }, el("summary", {}, `资金情况（${form.amount_unit}）`));
    const table = el("table", { class: "funds-table" });
    table.append(el("thead", {}, el("tr", {}, ...["", "资金", "年初预算数", "全年预算数", "全年执行数", "执行率"].map((h) => el("th", { scope: "col" }, h)))));
    const tbody = el("tbody");
    const parts = { total: "合计", income: "按资金来源", expenditure: "按支出性质" };
    let last = null;
    for (const line of form.funds) {
      const part = line.part === last ? "" : parts[line.part];
      last = line.part;
      tbody.append(
        el("tr", { class: line.part, "data-part": line.part },
          el("td", { class: "part" }, part),
          el("td", {}, line.label),
          el("td", { class: "num" }, line.initial ?? "—"),
          el("td", { class: "num" }, line.budget ?? "—"),
          el("td", { class: "num" }, line.executed ?? "—"),
          el("td", { class: "num" }, line.rate === null ? "—" : `${line.rate}%`)),
      );
    }
    table.append(tbody);
    details.append(table);
    return details;
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
