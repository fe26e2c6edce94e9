// What the live round's pages share: their settings and texts, building the DOM without
// ever parsing text as HTML (every name a student typed goes in as a text node), numbers
// as the pages show them, the JSON API, the round's event stream, the page's header.
"use strict";

const Live = (() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const T = config.texts;
  const SVG_NS = "http://www.w3.org/2000/svg";
  // a verdict reads without colour: a symbol and words beside it
  const SYMBOL = {
    right: "\u2713", carried: "\u2713", wrong: "\u2717", missing: "\u25cb",
    reference: "\u25c7", error: "\u26a0", timeout: "\u231b",
  };

  function fill(template, fields) {
    // one pass: a value that itself holds "{team}" is never filled again
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(fields, name) ? String(fields[name]) : whole);
  }

  function props(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.setAttribute("class", value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    props(node, attrs);
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    props(node, attrs);
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function number(x) {
    if (x === null || x === undefined || !Number.isFinite(x)) return "\u2014";
    return String(Number(x.toPrecision(4))).replace("-", "\u2212");
  }

  function parseNumber(typed) {
    // as a person types it: spaces, a comma for the decimal point, a typographic minus
    const text = String(typed).replace(/\s+/g, "").replace(/[\u2212\u2013]/g, "-")
      .replace(",", ".");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  }

  function statusWord(code) {
    return T["status_" + code] || code;
  }

  function verdict(code, tag) {
    return el(tag || "span", { class: "status s-" + code, "data-status": code },
      el("span", { "aria-hidden": "true", text: (SYMBOL[code] || "?") + " " }), statusWord(code));
  }

  function pickText(text) {
    if (text === null || text === undefined) return "";
    if (typeof text === "string") return text;
    return text[config.lang] || text.en || Object.values(text)[0] || "";
  }

  async function api(method, path, body, token) {
    const headers = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = "Bearer " + token;
    let response;
    try {
      response = await fetch(path, {
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
    const why = result.data && result.data.error ? result.data.error : String(result.status);
    return result.status === 0 ? T.server_silent : fill(T.refused, { why });
  }

  function follow(url, events, reopened, live) {
    // the round's stream; a refused or dropped one is opened again, and each (re)opening
    // reads the whole state once, so nothing said while it was closed is missed
    let source = null;
    function open() {
      source = new EventSource(url);
      source.onopen = () => { live(true); if (reopened) reopened(); };
      source.onerror = () => {
        live(false);
        if (source.readyState === EventSource.CLOSED) setTimeout(open, 3000);
      };
      for (const [name, handle] of Object.entries(events)) {
        source.addEventListener(name, (event) => {
          let data;
          try { data = JSON.parse(event.data); } catch (err) { return; }
          handle(data);
        });
      }
    }
    open();
    return () => source.close();
  }

  function header(app, title) {
    // the page's title, the language links (the fragment kept: the teacher's token) and
    // whether the stream is live
    const langs = el("nav", { class: "langs" });
    for (const [code, name] of config.languages) {
      const query = new URLSearchParams(location.search);
      query.set("lang", code);
      const link = el("a", { href: location.pathname + "?" + query + location.hash, lang: code,
        text: name });
      if (code === config.lang) link.setAttribute("aria-current", "page");
      langs.append(link);
    }
    const state = el("span", { class: "live", "data-live": "no", role: "status" });
    const top = el("header", { class: "top" },
      el("h1", { text: title }), el("span", { class: "course", text: config.title }),
      state, langs);
    app.append(top);
    return function live(on) {
      state.dataset.live = on ? "yes" : "no";
      state.textContent = on ? "\u25cf " + T.live : T.reconnecting;
    };
  }

  return { config, T, SYMBOL, fill, el, svg, number, parseNumber, statusWord, verdict,
    pickText, api, refusal, follow, header };
})();
