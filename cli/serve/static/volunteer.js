// A volunteer's phone: type the round's code, pick your name (a rostered round) or a team
// and a node (an open one), then for each node you own: what you received, and in the
// lesson's order your output, your local derivatives and, once dL/d(your output) has come
// back, dL/d(each input).  Each number is sent at once and its verdict shown (never the
// right value: the server never sends one); a wrong one can be sent again.
"use strict";

(() => {
  const { config, T, el, fill, number, parseNumber, verdict, pickText, api, refusal, follow,
    header } = Live;
  const app = document.getElementById("app");
  const live = header(app, T.join_title);
  const lang = "lang=" + encodeURIComponent(config.lang);
  const view = el("div", { class: "view" });
  app.append(view);

  if (!config.code) {
    const form = el("form", { method: "get", action: "/join", class: "code-form" },
      el("input", { type: "hidden", name: "lang", value: config.lang }),
      el("label", { for: "code", text: T.code_label }),
      el("input", { type: "text", id: "code", name: "code", required: true,
        autocomplete: "off", autocapitalize: "off", spellcheck: "false" }),
      el("button", { type: "submit", class: "primary", text: T.join_button }));
    if (config.bad_code) form.append(el("p", { class: "alert", role: "alert", text: T.code_bad }));
    view.append(form);
    return;
  }

  const code = config.code;
  const saved = "backprop-live:" + code;
  let round = null;
  let student = null;
  let me = null;
  const cards = new Map();
  let reading = false, again = false, stream = null;

  function remember(name) {
    try {
      if (name === null) localStorage.removeItem(saved);
      else localStorage.setItem(saved, name);
    } catch (err) { /* a private window: the choice lasts as long as the page */ }
  }

  function recalled() {
    try { return localStorage.getItem(saved); } catch (err) { return null; }
  }

  async function start() {
    const result = await api("GET", "/api/join/" + encodeURIComponent(code));
    if (result.status === 404) {
      view.replaceChildren(el("p", { class: "alert", role: "alert", text: T.code_unknown }),
        el("p", {}, el("a", { href: "/join?" + lang, text: T.join_title })));
      return;
    }
    if (!result.ok) {
      view.replaceChildren(el("p", { class: "alert", text: T.server_silent }));
      setTimeout(start, 3000);
      return;
    }
    round = result.data;
    const name = recalled();
    if (name && round.members.some((m) => m[1] === name)) become(name);
    else choose();
  }

  function nameButtons(members) {
    const owned = new Map();
    for (const [team, name, node] of members) {
      const key = JSON.stringify([team, name]);
      if (!owned.has(key)) owned.set(key, { team, name, nodes: [] });
      owned.get(key).nodes.push(node);
    }
    return el("ul", { class: "names" }, ...[...owned.values()].map((m) =>
      el("li", {}, el("button", { type: "button", class: "name", "data-student": m.name,
        onclick: () => become(m.name) },
        el("strong", { text: m.name }), " \u2014 " + m.team + ": " + m.nodes.join(", ")))));
  }

  function choose() {
    if (stream) { stream(); stream = null; }
    cards.clear();
    me = null;
    student = null;
    if (!round.open) {
      view.replaceChildren(el("h2", { text: T.pick_name }), nameButtons(round.members));
      return;
    }
    const team = el("input", { type: "text", id: "team", required: true, maxlength: 64,
      autocomplete: "off" });
    const name = el("input", { type: "text", id: "student", required: true, maxlength: 64,
      autocomplete: "off" });
    const node = el("select", { id: "node", required: true },
      ...round.nodes.map((n) => el("option", { value: n, text: n })));
    const said = el("p", { class: "alert", role: "alert" });
    const taken = () => {
      const used = round.members.filter((m) => m[0] === team.value.trim()).map((m) => m[2]);
      for (const option of node.options) option.disabled = used.includes(option.value);
    };
    team.addEventListener("input", taken);
    const form = el("form", { class: "open-join" },
      el("p", { text: T.open_join }),
      el("label", { for: "team", text: T.team_name }), team,
      el("label", { for: "student", text: T.your_name }), name,
      el("label", { for: "node", text: T.your_node }), node,
      el("button", { type: "submit", class: "primary", text: T.join_button }), said);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = { team: team.value.trim(), student: name.value.trim(), node: node.value };
      let result = await api("POST", "/api/rounds/" + encodeURIComponent(round.round) +
        "/join", body);
      if (result.status === 404 || result.status === 405) {
        result = await api("POST", "/api/join/" + encodeURIComponent(code), body);
      }
      if (result.ok) {
        round.members.push([body.team, body.student, body.node]);
        become(body.student);
      } else if (result.status === 409) said.textContent = T.node_taken;
      else if (result.status === 403) said.textContent = T.roster_only;
      else said.textContent = refusal(result);
    });
    view.replaceChildren(form);
    if (round.members.length) view.append(el("h2", { text: T.already_joined }),
      nameButtons(round.members));
  }

  function become(name) {
    student = name;
    remember(name);
    view.replaceChildren(
      el("p", { class: "you" }, el("span", { class: "you-are" }), " ",
        el("a", { href: "#", class: "not-you", text: T.not_you,
          onclick: (event) => { event.preventDefault(); remember(null); choose(); } })),
      el("div", { class: "cards" }));
    refresh();
    // the phone follows its own team's news only (the board follows every team's)
    const mine = round.members.find((m) => m[1] === name);
    const team = mine ? "&team=" + encodeURIComponent(mine[0]) : "";
    stream = follow("/api/rounds/" + encodeURIComponent(round.round) + "/events?" + lang + team, {
      // the team's news carries each member's own view: shown as it comes, else read again
      team: (team) => {
        const mine = team.volunteers && team.volunteers[student];
        if (mine && me && team.team === me.team) show({ ...me, nodes: mine });
        else if (!me || team.team === me.team) refresh();
      },
      board: () => refresh(),
    }, refresh, live);
  }

  async function refresh() {
    // one reading at a time; what arrives meanwhile asks for one more
    if (reading) { again = true; return; }
    reading = true;
    try {
      const url = "/api/rounds/" + encodeURIComponent(round.round) + "/me?student=" +
        encodeURIComponent(student) + "&" + lang;
      const result = await api("GET", url);
      if (result.ok && student !== null) show(result.data);
    } finally {
      reading = false;
      if (again) { again = false; refresh(); }
    }
  }

  function show(data) {
    me = data;
    const you = view.querySelector(".you-are");
    if (you) you.textContent = fill(T.you_are, { student: data.student, team: data.team || "" });
    const box = view.querySelector(".cards");
    if (!box) return;
    if (!data.nodes.length) {
      box.replaceChildren(el("p", { class: "alert", text: T.no_node }));
      return;
    }
    for (const node of data.nodes) {
      if (!cards.has(node.node)) {
        cards.set(node.node, card(node));
        box.append(cards.get(node.node).section);
      }
      update(cards.get(node.node), node);
    }
  }

  function label(node, q) {
    // A, dA/dw1, dL/dw1: the lesson's way of writing them
    if (q.quantity.includes("/")) return q.quantity;
    const local = "d" + node.node + "_d", back = "d" + config.loss + "_d";
    if (q.kind === "local" && q.quantity.startsWith(local)) {
      return "d" + node.node + "/d" + q.quantity.slice(local.length);
    }
    if (q.kind === "backward" && q.quantity.startsWith(back)) {
      return "d" + config.loss + "/d" + q.quantity.slice(back.length);
    }
    return q.quantity;
  }

  function card(node) {
    const received = el("dl", { class: "received" });
    const section = el("section", { class: "card", "data-node": node.node },
      el("h2", { text: fill(T.node_heading, { node: node.node }) }),
      el("p", { class: "formula", text: config.formulas[node.node] || "" }),
      el("h3", { text: T.received }), received);
    const entries = new Map();
    const heads = { output: T.enter_output, local: T.enter_local, backward: T.enter_backward };
    for (const kind of ["output", "local", "backward"]) {
      const mine = node.quantities.filter((q) => q.kind === kind);
      if (!mine.length) continue;
      section.append(el("h3", { text: heads[kind] }));
      for (const q of mine) {
        const entry = field(node, q);
        entries.set(q.quantity, entry);
        section.append(entry.form);
      }
    }
    return { section, received, entries };
  }

  function field(node, q) {
    const id = "q-" + node.node + "-" + q.quantity;
    const input = el("input", { type: "text", id, name: q.quantity, autocomplete: "off",
      autocapitalize: "off", spellcheck: "false", enterkeyhint: "send" });
    const button = el("button", { type: "submit", text: T.send });
    const status = el("div", { class: "verdict", "aria-live": "polite" });
    const feedback = el("p", { class: "feedback" });
    const form = el("form", { class: "entry", "data-quantity": q.quantity, "data-kind": q.kind },
      el("label", { for: id, text: label(node, q) + " =" }), input, button, status, feedback);
    const entry = { form, input, button, status, feedback, dirty: false, kind: q.kind };
    input.addEventListener("input", () => { entry.dirty = true; });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(node.node, q.quantity, entry);
    });
    return entry;
  }

  function judged(entry, code, text) {
    // the verdict as a symbol and words; its feedback unless it only repeats them
    const said = code && code !== "missing";
    entry.status.replaceChildren(said ? verdict(code) : "");
    entry.form.dataset.status = code || "";
    const plain = !text || code === "missing" ||
      (said && text.trim().toLowerCase() === Live.statusWord(code).toLowerCase());
    entry.feedback.textContent = plain ? "" : text;
  }

  async function send(node, quantity, entry) {
    const value = parseNumber(entry.input.value);
    if (value === null) {
      judged(entry, null, T.not_a_number);
      return;
    }
    entry.button.disabled = true;
    const result = await api("POST", "/api/rounds/" + encodeURIComponent(round.round) +
      "/entries", { student, node, quantity, value });
    entry.button.disabled = false;
    if (result.ok) {
      entry.dirty = false;
      judged(entry, result.data.status, pickText(result.data.feedback));
    } else if (result.status === 429) judged(entry, null, T.too_fast);
    else if (result.status === 403) judged(entry, null, T.not_yours);
    else judged(entry, null, refusal(result));
  }

  function update(shown, node) {
    const rows = [];
    for (const arg of node.args) {
      const value = node.received ? node.received[arg] : null;
      rows.push(el("dt", { text: arg }), el("dd", { "data-received": arg,
        text: value === null || value === undefined ? T.waiting : number(value) }));
    }
    const up = node.upstream;
    if (up) {
      const name = up.name.replace("_d", "/d");
      const arrived = up.value !== null && up.value !== undefined;
      rows.push(el("dt", { text: name }), el("dd", { "data-upstream": up.name,
        text: arrived ? number(up.value) : fill(T.upstream_waiting, { name }) }));
    }
    shown.received.replaceChildren(...rows);
    const waiting = !up || up.value === null || up.value === undefined;
    for (const q of node.quantities) {
      const entry = shown.entries.get(q.quantity);
      if (!entry) continue;
      const locked = q.kind === "backward" && waiting;
      entry.input.disabled = locked;
      entry.button.disabled = locked;
      const entered = q.entered ?? q.value ?? null;
      if (!entry.dirty && document.activeElement !== entry.input && entered !== null) {
        entry.input.value = String(entered);
      }
      if (!entry.dirty && q.status) judged(entry, q.status, q.feedback);
    }
  }

  start();
})();
