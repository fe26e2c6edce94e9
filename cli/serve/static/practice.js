// Practice (cli/serve/practice.py): a student picks a question, gets a fresh variant, answers
// and reads the grader's own feedback, retries on a fresh variant or asks for the solution;
// the teacher's page sums the class up.  Every text a student typed, and every text that
// comes back, goes into the page as a text node (textContent), never parsed as HTML.
"use strict";

(() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const T = config.texts;
  const app = document.getElementById("app");
  const SYMBOL = { right: "\u2713", partial: "\u25d1", wrong: "\u2717", unavailable: "\u26a0" };

  function fill(template, fields) {
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(fields, name) ? String(fields[name]) : whole);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function pickText(text) {
    if (!text) return "";
    if (typeof text === "string") return text;
    return text[config.lang] || text.en || Object.values(text)[0] || "";
  }

  async function api(method, path, body, token) {
    const headers = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = "Bearer " + token;
    const sep = path.includes("?") ? "&" : "?";
    let response;
    try {
      response = await fetch(path + sep + "lang=" + encodeURIComponent(config.lang), {
        method, headers, cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      return { status: 0, ok: false, data: null };
    }
    let data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    return { status: response.status, ok: response.ok, data };
  }

  function refusal(result) {
    if (result.status === 0) return T.server_silent;
    const why = result.data && result.data.error ? result.data.error : String(result.status);
    return fill(T.refused, { why });
  }

  function header(title) {
    const langs = el("nav", { class: "langs", "aria-label": "language" });
    for (const [code, name] of config.languages) {
      const query = new URLSearchParams(location.search);
      query.set("lang", code);
      const link = el("a", { href: location.pathname + "?" + query + location.hash, lang: code,
        text: name });
      if (code === config.lang) link.setAttribute("aria-current", "page");
      langs.append(link);
    }
    app.append(el("header", { class: "top" }, el("h1", { text: title }),
      el("span", { class: "course", text: config.title }), langs));
  }

  function verdictLine(verdict, status) {
    return el("p", { class: "verdict v-" + verdict, "data-verdict": verdict,
      "data-status": status || "" },
      el("span", { "aria-hidden": "true", text: (SYMBOL[verdict] || "?") + " " }),
      T["verdict_" + verdict] || T.unavailable);
  }

  // --- the student's page ------------------------------------------------------------------

  function studentPage() {
    header(T.title);
    const message = el("p", { class: "alert", role: "alert" });
    const student = el("input", { type: "text", id: "student", autocomplete: "off",
      spellcheck: "false", maxlength: 64, "aria-describedby": "student-hint" });
    try { student.value = localStorage.getItem("practice.student") || ""; } catch (err) { /**/ }
    const question = el("select", { id: "question" });
    const groups = {};
    for (const q of config.questions) {
      if (!groups[q.exercise]) {
        groups[q.exercise] = el("optgroup", { label: q.title });
        question.append(groups[q.exercise]);
      }
      groups[q.exercise].append(el("option", { value: q.question, text: q.question }));
    }
    const pick = el("form", { class: "pick", id: "pick" },
      el("label", { for: "student", text: T.your_id }), student,
      el("p", { class: "hint", id: "student-hint", text: T.id_hint }),
      el("label", { for: "question", text: T.question_label }), question,
      el("button", { type: "submit", class: "primary", id: "start", text: T.start }));
    const variant = el("section", { id: "variant", class: "variant", hidden: true });
    app.append(el("p", { class: "intro", text: T.intro }), pick, message, variant);

    const state = { student: "", question: "", number: 0 };

    async function progress() {
      if (!state.student) return;
      const got = await api("GET", "/api/practice/" + encodeURIComponent(state.student));
      if (!got.ok || !got.data) return;
      for (const option of question.options) {
        const mine = got.data.questions[option.value];
        const solved = mine && mine.first_success;
        option.textContent = option.value + (mine && mine.answers ? " \u2014 " + mine.said : "") +
          (solved ? " \u2713 " + T.solved : "");
      }
    }

    async function start(qid) {
      // a variant of qid: the one picked, or (a fresh variant) the one being practised
      message.textContent = "";
      state.student = student.value.trim();
      try { localStorage.setItem("practice.student", state.student); } catch (err) { /**/ }
      state.question = qid;
      if (!state.student) { message.textContent = T.id_needed; student.focus(); return; }
      const path = "/api/practice/" + encodeURIComponent(state.student) + "/" +
        encodeURIComponent(state.question);
      const got = await api("POST", path, {});
      if (!got.ok) { message.textContent = refusal(got); return; }
      state.number = got.data.variant;
      drawVariant(got.data);
      progress();
    }

    pick.addEventListener("submit", (event) => { event.preventDefault(); start(question.value); });

    function base() {
      return "/api/practice/" + encodeURIComponent(state.student) + "/" +
        encodeURIComponent(state.question) + "/" + state.number;
    }

    function drawVariant(data) {
      variant.replaceChildren();
      variant.hidden = false;
      variant.dataset.question = data.question;
      variant.dataset.variant = String(data.variant);
      variant.append(el("h2", { tabindex: "-1",
        text: fill(T.variant_heading, { question: data.question, n: data.variant }) }));
      variant.append(el("p", { class: "points", text: data.worth }));
      variant.append(el("p", { class: "prompt", text: data.prompt }));
      if (data.hint) {
        variant.append(el("details", { class: "hint-box" },
          el("summary", { text: T.hint_label }), el("p", { class: "prompt", text: data.hint })));
      }
      const names = Object.keys(data.values || {});
      if (names.length) {
        const table = el("table", { class: "values" },
          el("caption", { text: T.values_heading }));
        const head = el("tr"), row = el("tr");
        for (const name of names) {
          head.append(el("th", { scope: "col", text: name }));
          row.append(el("td", { "data-name": name, text: String(data.values[name]) }));
        }
        table.append(el("thead", {}, head), el("tbody", {}, row));
        variant.append(table, el("p", { class: "hint", text: T.values_note }));
      } else if (data.form === "function" || data.form === "formula") {
        variant.append(el("p", { class: "hint", text: T.random_points }));
      }
      variant.append(answerForm(data));
      variant.querySelector("h2").focus();
    }

    function answerForm(data) {
      const form = el("form", { class: "answer", id: "answer", "data-form": data.form });
      const result = el("div", { class: "result", id: "result", role: "status" });
      const solution = el("div", { class: "solution", id: "solution", hidden: true });
      const read = answerField(form, data);
      const send = el("button", { type: "submit", class: "primary", id: "send", text: T.send });
      const again = el("button", { type: "button", id: "fresh", text: T.fresh,
        onclick: () => start(state.question) });
      const show = el("button", { type: "button", id: "show-solution", text: T.show_solution,
        onclick: () => showSolution(form, send, solution) });
      form.append(el("div", { class: "actions" }, send, again, show), result, solution);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const answer = read();
        if (answer === null) { result.replaceChildren(el("p", { text: T.empty_answer })); return; }
        send.disabled = true;
        result.replaceChildren(el("p", { class: "checking", text: T.checking }));
        const got = await api("POST", base() + "/answer", { answer });
        send.disabled = form.dataset.closed === "yes";
        if (got.status === 503 && got.data) {
          result.replaceChildren(verdictLine("unavailable", ""),
            el("p", { class: "feedback", text: got.data.error }));
          return;
        }
        if (!got.ok) { result.replaceChildren(el("p", { class: "alert", text: refusal(got) })); return; }
        result.replaceChildren(verdictLine(got.data.verdict, got.data.status),
          el("p", { class: "feedback", text: pickText(got.data.feedback) }),
          el("p", { class: "hint count", text: got.data.said }));
        progress();
      });
      return form;
    }

    async function showSolution(form, send, solution) {
      if (!window.confirm(T.solution_confirm)) return;
      const got = await api("POST", base() + "/solution", {});
      if (!got.ok) { message.textContent = refusal(got); return; }
      form.dataset.closed = "yes";
      send.disabled = true;
      const shown = typeof got.data.answer === "string" ? got.data.answer
        : JSON.stringify(got.data.answer);
      solution.replaceChildren(
        el("h3", { text: fill(T.solution_heading, { n: got.data.variant }) }),
        el("pre", { class: "answer-shown", text: shown }),
        el("p", { class: "hint", text: T.closed_note }));
      solution.hidden = false;
    }

    function answerField(form, data) {
      const label = data.form === "function" ? T.code_label : T.answer_label;
      if (data.form === "function") {
        const code = el("textarea", { id: "answer-input", rows: 10, spellcheck: "false",
          autocapitalize: "off" });
        code.value = data.template || "";
        form.append(el("label", { for: "answer-input", text: label }), code);
        return () => (code.value.trim() ? code.value : null);
      }
      if (data.form === "option" || data.form === "set") {
        const type = data.form === "option" ? "radio" : "checkbox";
        const box = el("fieldset", { class: "options" }, el("legend", { text: label }));
        data.options.forEach((value, i) => {
          const id = "option-" + i;
          box.append(el("label", { for: id, class: "choice" },
            el("input", { type, name: "option", value, id }),
            " " + value + (data.words[value] ? " \u2014 " + data.words[value] : "")));
        });
        form.append(box);
        return () => {
          const chosen = [...box.querySelectorAll("input:checked")].map((i) => i.value);
          if (type === "radio") return chosen.length ? chosen[0] : null;
          return chosen;
        };
      }
      if (data.form === "mapping") return mappingField(form, data, label);
      const input = el("input", { type: "text", id: "answer-input", autocomplete: "off",
        spellcheck: "false", inputmode: data.form === "number" ? "decimal" : null });
      form.append(el("label", { for: "answer-input", text: label }), input);
      return () => (input.value.trim() ? input.value.trim() : null);
    }

    function mappingField(form, data, label) {
      const box = el("fieldset", { class: "mapping" }, el("legend", { text: label }));
      const fields = {};
      for (const key of data.keys) {
        const id = "key-" + key;
        let field;
        if (data.options) {
          field = el("select", { id }, el("option", { value: "", text: T.choose }));
          for (const value of data.options) {
            field.append(el("option", { value,
              text: value + (data.words[value] ? " \u2014 " + data.words[value] : "") }));
          }
        } else {
          field = el("input", { type: "text", id, autocomplete: "off", spellcheck: "false",
            placeholder: T.names_hint });
        }
        fields[key] = field;
        box.append(el("div", { class: "pair" }, el("label", { for: id, text: key }), field));
      }
      form.append(box);
      return () => {
        const out = {};
        for (const [key, field] of Object.entries(fields)) {
          out[key] = data.options ? field.value
            : field.value.split(/[,;\s]+/).filter((x) => x);
        }
        return out;
      };
    }

    if (student.value) { state.student = student.value.trim(); progress(); }
  }

  // --- the teacher's page ------------------------------------------------------------------

  function teacherPage() {
    header(T.teacher_title);
    // the token of the teacher's URL (?token= or #token), moved out of the address bar at
    // once and kept for this tab, as the live round's teacher page keeps it
    const query = new URLSearchParams(location.search);
    const given = query.get("token") || decodeURIComponent(location.hash.replace(/^#/, ""));
    if (given) {
      try { sessionStorage.setItem("teacher-token", given); } catch (err) { /**/ }
      query.delete("token");
      const rest = query.toString();
      history.replaceState(null, "", location.pathname + (rest ? "?" + rest : ""));
    }
    let kept = "";
    try { kept = sessionStorage.getItem("teacher-token") || ""; } catch (err) { /**/ }
    const token = given || kept;
    if (!token) {
      app.append(el("p", { class: "alert", role: "alert", text: T.no_token }));
      return;
    }
    const said = el("p", { class: "said", role: "status" });
    const body = el("div", { class: "summary" });
    const refresh = el("button", { type: "button", id: "refresh", text: T.refresh,
      onclick: () => load() });
    app.append(said, refresh, body);

    async function load() {
      const got = await api("GET", "/api/teacher/practice", undefined, token);
      if (!got.ok) { said.textContent = refusal(got); return; }
      said.textContent = got.data.said;
      if (!got.data.questions.length) {
        body.replaceChildren(el("p", { text: T.nobody_yet }));
        return;
      }
      const head = el("tr");
      for (const key of ["col_question", "col_students", "col_success", "col_answers",
        "col_diagnoses"]) head.append(el("th", { scope: "col", text: T[key] }));
      const rows = el("tbody");
      for (const q of got.data.questions) {
        const list = el("ul", { class: "diagnoses" });
        for (const d of q.diagnoses) {
          list.append(el("li", {}, el("span", { class: "count", text: "\u00d7" + d.count + " " }),
            d.text));
        }
        const rate = Math.round(q.success_rate * 100) + "\u00a0%";
        rows.append(el("tr", { "data-question": q.question },
          el("th", { scope: "row", text: q.question }),
          el("td", { class: "students", text: String(q.students) }),
          el("td", { class: "success", text: q.succeeded + " / " + q.students + " (" + rate + ")" }),
          el("td", { class: "answers", text: String(q.answers) }),
          el("td", {}, list)));
      }
      body.replaceChildren(el("table", {}, el("thead", {}, head), rows));
    }

    load();
  }

  if (document.body.classList.contains("teacher")) teacherPage();
  else studentPage();
})();
