// The teacher's page: start a round (a point, typed or random; teams from a roster or open
// join), list the rounds, open a board, reveal the reference, export a round.  The token
// comes in the printed URL's query (?token=, DESIGN.md's line) or its fragment; it is moved
// out of the address bar at once (kept for this tab only) and sent as "Authorization:
// Bearer" with each teacher's call.
"use strict";

(() => {
  const { config, T, el, fill, api, refusal, header } = Live;
  const app = document.getElementById("app");
  header(app, T.teacher_title);
  const given = new URLSearchParams(location.search).get("token")
    || decodeURIComponent(location.hash.replace(/^#/, ""));
  if (given) {
    sessionStorage.setItem("teacher-token", given);
    history.replaceState(null, "", location.pathname);
  }
  const token = given || sessionStorage.getItem("teacher-token") || "";
  if (!token) {
    app.append(el("p", { class: "alert", role: "alert", text: T.no_token }));
    return;
  }
  const lang = "?lang=" + encodeURIComponent(config.lang);
  const message = el("p", { class: "message", role: "status", "aria-live": "polite" });
  const rounds = el("div", { class: "rounds" });

  function choice(name, value, label, checked) {
    const id = name + "-" + value;
    return el("label", { for: id, class: "choice" },
      el("input", { type: "radio", name, value, id, checked }), " " + label);
  }

  const at = el("input", { type: "text", name: "at", id: "point-values", autocomplete: "off",
    spellcheck: "false", placeholder: config.leaves.map((n) => n + "=…").join(","),
    "aria-describedby": "point-hint" });
  const roster = el("textarea", { name: "roster", id: "roster", rows: 7, spellcheck: "false",
    placeholder: "team,student,node\n" });
  const file = el("input", { type: "file", id: "roster-file", accept: ".csv,text/csv,text/plain" });
  const form = el("form", { class: "new-round" },
    el("h2", { text: T.new_round }),
    el("fieldset", {}, el("legend", { text: T.point }),
      choice("point", "at", T.point_at, true), at,
      el("p", { class: "hint", id: "point-hint", text: T.point_hint }),
      choice("point", "random", T.point_random, false)),
    el("fieldset", {}, el("legend", { text: T.teams }),
      choice("teams", "roster", T.teams_roster, true), roster,
      el("label", { for: "roster-file", class: "hint" }, T.teams_upload + " "), file,
      choice("teams", "open", T.teams_open, false)),
    el("button", { type: "submit", class: "primary", text: T.start }),
    message);
  app.append(form, el("h2", { text: T.rounds }), rounds);

  at.addEventListener("input", () => { form.elements.point.value = "at"; });
  roster.addEventListener("input", () => { form.elements.teams.value = "roster"; });
  file.addEventListener("change", () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    chosen.text().then((text) => {
      roster.value = text;
      form.elements.teams.value = "roster";
    });
  });

  function point() {
    // "x1=1, x2=2, …" as course trace --at reads it: every leaf, a finite number each
    if (form.elements.point.value === "random") return { value: "random" };
    const values = {};
    for (const part of at.value.split(",").map((s) => s.trim()).filter(Boolean)) {
      const [name, raw] = part.split("=").map((s) => s.trim());
      if (!config.leaves.includes(name)) return { error: fill(T.point_unknown, { name }) };
      const value = Live.parseNumber(raw === undefined ? "" : raw);
      if (value === null) return { error: fill(T.point_not_number, { name }) };
      values[name] = value;
    }
    const missing = config.leaves.filter((n) => !(n in values));
    if (missing.length) return { error: fill(T.point_missing, { names: missing.join(", ") }) };
    return { value: values };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const where = point();
    if (where.error) {
      message.textContent = where.error;
      return;
    }
    const body = { point: where.value, at: where.value };
    if (form.elements.teams.value === "open") body.open = true;
    else if (!roster.value.trim()) {
      message.textContent = T.roster_empty;
      return;
    } else body.roster = roster.value;
    const result = await api("POST", "/api/rounds", body, token);
    if (result.status === 401) message.textContent = T.bad_token;
    else if (!result.ok) message.textContent = refusal(result);
    else {
      const made = result.data;
      message.replaceChildren(fill(T.started, { code: made.join_code || made.code }), " ",
        el("a", { href: "/board/" + encodeURIComponent(made.id || made.round) + lang,
          target: "_blank",
          rel: "noopener", class: "board-link", text: T.open_board }));
      list();
    }
  });

  function when(created) {
    const date = typeof created === "number" ? new Date(created * 1000) : new Date(created);
    return Number.isNaN(date.getTime()) ? String(created) : date.toLocaleString(config.lang);
  }

  async function reveal(round) {
    if (!window.confirm(T.reveal_confirm)) return;
    const result = await api("POST", "/api/rounds/" + encodeURIComponent(round.id) + "/reveal",
      {}, token);
    if (!result.ok) message.textContent = result.status === 401 ? T.bad_token : refusal(result);
    list();
  }

  async function exported(round) {
    // the round's JSON lines, saved as a file (a plain link could not carry the token)
    const response = await fetch("/api/rounds/" + encodeURIComponent(round.id) + "/export",
      { headers: { authorization: "Bearer " + token }, cache: "no-store" });
    if (!response.ok) {
      message.textContent = response.status === 401 ? T.bad_token : fill(T.refused,
        { why: String(response.status) });
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: "round-" + round.id + ".jsonl" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function row(listed) {
    const round = { ...listed, id: listed.id || listed.round,
      join_code: listed.join_code || listed.code };
    const id = encodeURIComponent(round.id);
    return el("tr", { "data-round": round.id },
      el("td", { text: when(round.created) }),
      el("td", { class: "code", text: round.join_code }),
      el("td", { text: round.open ? T.mode_open : T.mode_roster }),
      el("td", { text: round.revealed ? T.revealed : T.not_revealed }),
      el("td", { class: "actions" },
        el("a", { href: "/board/" + id + lang, target: "_blank", rel: "noopener",
          class: "board-link", text: T.open_board }),
        round.revealed ? null : el("button", { type: "button", class: "reveal",
          onclick: () => reveal(round), text: T.reveal }),
        el("button", { type: "button", class: "export", onclick: () => exported(round),
          text: T.export })));
  }

  async function list() {
    const result = await api("GET", "/api/rounds", undefined, token);
    if (result.status === 401) {
      rounds.replaceChildren(el("p", { class: "alert", role: "alert", text: T.bad_token }));
      return;
    }
    if (!result.ok) {
      rounds.replaceChildren(el("p", { class: "alert", text: refusal(result) }));
      return;
    }
    const all = result.data.rounds || [];
    if (!all.length) {
      rounds.replaceChildren(el("p", { text: T.no_rounds }));
      return;
    }
    const head = el("tr", {}, ...[T.col_created, T.col_code, T.col_mode, T.col_reference, ""]
      .map((text) => el("th", { scope: "col", text })));
    rounds.replaceChildren(el("table", {}, el("thead", {}, head), el("tbody", {},
      ...all.map(row))));
  }

  list();
})();
