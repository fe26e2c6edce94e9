// The projector's board: each team's graph as the lesson draws it (leaves on the left, the
// loss on the right), each node with its owner, the value they entered and their verdicts,
// each edge a -> N with the dL/da N's owner handed back.  A verdict is a colour, a symbol
// and a word; a wrong link is dashed; the first broken link is named.  The graph is read
// from the API's own description of the course's model, and kept live by the event stream.
"use strict";

(() => {
  const { config, T, el, svg, fill, number, statusWord, SYMBOL, api, follow, header } = Live;
  const app = document.getElementById("app");
  const live = header(app, T.board_title);
  const base = "/api/rounds/" + encodeURIComponent(config.round);
  const query = "?lang=" + encodeURIComponent(config.lang);
  const NODE_W = 220, NODE_H = 164, LEAF_W = 100, LEAF_H = 62, COLUMN = 380, GAP = 30;
  const RUN = 104;
  let board = null;
  let shape = null;

  const join = el("aside", { class: "join" });
  const legend = el("p", { class: "legend" });
  for (const code of ["right", "carried", "wrong", "missing", "reference"]) {
    const short = T["short_" + code], long = statusWord(code);
    legend.append(el("span", { class: "status s-" + code + (code === "wrong" ? " dashed" : "") },
      el("span", { "aria-hidden": "true", text: SYMBOL[code] + " " }),
      short && short !== long ? short + ": " + long : long));
  }
  const teams = el("div", { class: "teams" });
  app.append(el("div", { class: "banner" }, join,
    el("div", { class: "key" }, legend, el("p", { class: "caption", text: T.edge_caption }))),
  teams);

  function showJoin() {
    const url = config.join_base + "/join";
    const code = board.join_code || board.code;
    join.replaceChildren(
      el("img", { src: "/join/" + encodeURIComponent(code) + "/qr.svg", alt: url + "/" + code,
        width: 200, height: 200 }),
      el("div", {},
        el("div", { class: "join-at", text: T.join_at }),
        el("div", { class: "join-url", text: url }),
        el("div", { class: "join-code" }, el("span", { text: T.code + " " }),
          el("strong", { "data-code": code, text: code }))));
  }

  function layout(graph) {
    // columns by depth; a leaf stands just left of its first consumer; in a column, each
    // node at the mean height of its arguments, then pushed apart so no two overlap
    const args = Object.fromEntries(graph.nodes.map((n) => [n.name, n.args]));
    const leaves = new Set(graph.leaves);
    const column = {}, rank = {}, users = {};
    for (const leaf of graph.leaves) column[leaf] = 0;
    for (const n of graph.nodes) {
      column[n.name] = 1 + Math.max(0, ...n.args.map((a) => column[a] || 0));
      for (const a of n.args) (users[a] = users[a] || []).push(n.name);
    }
    for (const leaf of graph.leaves) {
      if (users[leaf]) column[leaf] = Math.max(0, Math.min(...users[leaf].map((u) => column[u])) - 1);
    }
    const order = [];
    const visit = (name) => {
      if (name in rank) return;
      rank[name] = -1;
      for (const a of args[name] || []) visit(a);
      rank[name] = order.length;
      order.push(name);
    };
    visit(graph.loss);
    for (const name of [...graph.leaves, ...graph.nodes.map((n) => n.name)]) visit(name);
    const height = (name) => (leaves.has(name) ? LEAF_H : NODE_H);
    const y = {};
    const last = Math.max(...Object.values(column));
    for (let c = 0; c <= last; c++) {
      const here = order.filter((name) => column[name] === c);
      let bottom = null;
      const wanted = {};
      for (const name of here) {
        const from = (args[name] || []).filter((a) => a in y);
        if (from.length) wanted[name] = from.reduce((s, a) => s + y[a], 0) / from.length;
        else wanted[name] = bottom === null ? 0 : bottom + GAP + height(name) / 2;
        bottom = wanted[name] + height(name) / 2;
      }
      here.sort((a, b) => wanted[a] - wanted[b] || rank[a] - rank[b]);
      let previous = null;
      for (const name of here) {
        y[name] = previous === null ? wanted[name]
          : Math.max(wanted[name], y[previous] + (height(previous) + height(name)) / 2 + GAP);
        previous = name;
      }
    }
    const top = Math.min(...order.map((n) => y[n] - height(n) / 2));
    const pos = {};
    for (const name of order) {
      const w = leaves.has(name) ? LEAF_W : NODE_W;
      pos[name] = { x: 20 + column[name] * COLUMN + (NODE_W - w), y: y[name] - top + 20, w,
        h: height(name) };
    }
    const width = 40 + last * COLUMN + NODE_W;
    const tall = 40 + Math.max(...order.map((n) => y[n] + height(n) / 2)) - top;
    return { pos, width, height: tall, leaves };
  }

  function normal(team) {
    // a team as the board draws it: its chain's links (what each node handed on), the
    // outputs entered, the first broken link as [node, direction]
    const rows = team.links || [];
    const chain = team.chain || rows.filter((l) => l.direction);
    let values = team.values;
    if (!values) {
      values = {};
      for (const row of rows) {
        if (row.kind === "output") values[row.node] = row.entered ?? row.value ?? null;
      }
    }
    let first = team.first_broken || null;
    if (first && !Array.isArray(first)) first = [first.node, first.direction];
    return { ...team, chain, values, first };
  }

  function linkOf(team, node, direction) {
    return team.chain.find((l) => l.node === node && l.direction === direction) || null;
  }

  function statusOf(team, node, direction) {
    const link = linkOf(team, node, direction);
    if (link) return link.status;
    return team.owners && team.owners[node] ? "missing" : "reference";
  }

  function port(node, arg) {
    // where the edge arg -> node meets the node: its arguments spread along its left side
    const at = shape.pos[node];
    const args = board.graph.nodes.find((n) => n.name === node).args;
    return at.y - at.h / 2 + (at.h * (args.indexOf(arg) + 1)) / (args.length + 1);
  }

  function wire(x1, y1, x2, y2) {
    // a curve, then straight into the node for the last stretch, where its number is written
    const bend = Math.max(x1 + 20, x2 - RUN), middle = (x1 + bend) / 2;
    return "M" + x1 + " " + y1 + " C" + middle + " " + y1 + " " + middle + " " + y2 + " " +
      bend + " " + y2 + " H" + x2;
  }

  function edge(team, node, arg, first) {
    // the line a -> N, with the dL/da N's owner handed back by N's end
    const p = shape.pos;
    const status = statusOf(team, node, "backward");
    const link = linkOf(team, node, "backward");
    const loss = board.graph.loss;
    const given = link && link.handed ? link.handed : {};
    const handed = given["d" + loss + "_d" + arg] ?? given["d" + loss + "/d" + arg] ?? null;
    const x1 = p[arg].x + p[arg].w, y1 = p[arg].y, x2 = p[node].x, y2 = port(node, arg);
    const broken = first && first[0] === node && first[1] === "backward";
    const classes = "edge s-" + status + (status === "wrong" ? " dashed" : "") +
      (broken ? " first-broken" : "");
    const name = "d" + loss + "/d" + arg;
    const group = svg("g", { class: classes, "data-from": arg, "data-to": node,
      "data-status": status },
      svg("title", { text: name + " = " + number(handed) + " (" + statusWord(status) + ")" }),
      svg("path", { class: "wire", d: wire(x1, y1, x2, y2) }),
      svg("text", { x: x2 - 10, y: y2 - 9, "text-anchor": "end", "data-handed": name,
        text: (SYMBOL[status] || "") + " " + number(handed) }));
    if (team.reference && team.reference.grad && arg in team.reference.grad) {
      group.append(svg("text", { class: "ref", x: x2 - 10, y: y2 - 31, "text-anchor": "end",
        text: fill(T.reference_value, { value: number(team.reference.grad[arg]) }) }));
    }
    return group;
  }

  function box(team, node, first) {
    const at = shape.pos[node];
    const forward = statusOf(team, node, "forward");
    const backward = statusOf(team, node, "backward");
    const owner = team.owners ? team.owners[node] : null;
    let value = team.values ? team.values[node] : null;
    const stand = owner ? null : linkOf(team, node, "forward");
    if (stand && stand.handed) value = stand.handed[node] ?? null; // the reference stands in
    const broken = first && first[0] === node && first[1] === "forward" ? " first-broken" : "";
    const group = svg("g", { class: "node s-" + forward + (forward === "wrong" ? " dashed" : "") +
      (owner ? "" : " reference") + broken, "data-node": node, "data-owner": owner || "",
      "data-forward": forward, "data-backward": backward,
      transform: "translate(" + at.x + "," + (at.y - at.h / 2) + ")" });
    const line = (y, cls, text) => svg("text", { x: 14, y, class: cls, text });
    const said = (code) => (SYMBOL[code] || "?") + " " + (T["short_" + code] || code);
    group.append(svg("rect", { width: at.w, height: at.h, rx: 12 }),
      line(36, "name", node),
      line(64, "owner", owner || T.nobody),
      line(96, "value", "= " + number(value)),
      line(124, "verdict v-" + forward, "\u2192 " + said(forward)),
      line(150, "verdict v-" + backward, "\u2190 " + said(backward)));
    if (team.reference && team.reference.values && node in team.reference.values) {
      group.append(line(at.h + 24, "ref", fill(T.reference_value,
        { value: number(team.reference.values[node]) })));
    }
    return group;
  }

  function leafBox(team, leaf) {
    // a leaf and its value at the round's point (every volunteer is given it)
    const at = shape.pos[leaf];
    const point = board.at || (team.reference && team.reference.values) || {};
    const group = svg("g", { class: "leaf", "data-leaf": leaf,
      transform: "translate(" + at.x + "," + (at.y - at.h / 2) + ")" },
      svg("rect", { width: at.w, height: at.h, rx: 18 }),
      svg("text", { x: at.w / 2, y: 27, "text-anchor": "middle", text: leaf }));
    if (leaf in point) {
      group.append(svg("text", { class: "at", x: at.w / 2, y: 52, "text-anchor": "middle",
        text: number(point[leaf]) }));
    }
    return group;
  }

  function sentence(team) {
    const first = team.first;
    if (!first) {
      return team.gradient_correct
        ? el("p", { class: "verdict all-right", "data-kind": "right" },
          SYMBOL.right + " " + T.all_right)
        : el("p", { class: "verdict" });
    }
    const link = linkOf(team, first[0], first[1]);
    const waiting = link && link.status === "missing";
    const fields = { node: first[0], direction: T[first[1]] || first[1],
      student: (link && link.student) || (team.owners && team.owners[first[0]]) || T.nobody };
    return el("p", { class: "verdict " + (waiting ? "waiting" : "first-broken"),
      "data-kind": waiting ? "waiting" : "broken", "data-node": first[0],
      "data-direction": first[1] },
      SYMBOL[waiting ? "missing" : "wrong"] + " " +
      fill(waiting ? T.first_waiting : T.first_broken, fields));
  }

  function drawTeam(given) {
    const team = normal(given);
    const first = team.first;
    const graph = svg("svg", { viewBox: "0 0 " + shape.width + " " + (shape.height + 30),
      role: "img", "aria-label": T.team_label + " " + team.team, class: "graph" });
    for (const n of board.graph.nodes) for (const a of n.args) graph.append(edge(team, n.name, a, first));
    for (const leaf of board.graph.leaves) if (shape.pos[leaf]) graph.append(leafBox(team, leaf));
    for (const n of board.graph.nodes) graph.append(box(team, n.name, first));
    return el("section", { class: "team", "data-team": team.team },
      el("h2", {}, el("span", { class: "label", text: T.team_label + " " }),
        el("span", { class: "team-name", text: team.team })),
      sentence(team), graph);
  }

  function draw() {
    showJoin();
    if (!shape) shape = layout(board.graph);
    if (!board.teams.length) {
      teams.replaceChildren(el("p", { class: "empty", text: T.no_teams }));
      return;
    }
    teams.classList.toggle("many", board.teams.length > 2);
    teams.replaceChildren(...board.teams.map(drawTeam));
  }

  function teamChanged(team) {
    if (!board) return;
    const i = board.teams.findIndex((t) => t.team === team.team);
    if (i < 0) {
      board.teams.push(team);
      draw();
      return;
    }
    board.teams[i] = team;
    const old = [...teams.children].find((s) => s.dataset.team === team.team);
    if (old) old.replaceWith(drawTeam(team));
    else draw();
  }

  async function load() {
    // true: drawn; false: no such round; null: the server did not answer
    const result = await api("GET", base + "/board" + query);
    if (result.status === 404) {
      teams.replaceChildren(el("p", { class: "alert", text: T.no_round }));
      return false;
    }
    if (!result.ok) {
      live(false);
      return null;
    }
    board = result.data;
    draw();
    return true;
  }

  async function start() {
    let found = await load();
    while (found === null) {
      await new Promise((done) => setTimeout(done, 3000));
      found = await load();
    }
    if (!found) return;
    follow(base + "/events" + query, {
      team: teamChanged,
      board: (whole) => { board = whole; draw(); },
    }, load, live);
  }

  start();
})();
