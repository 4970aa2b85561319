/* Help desk website widget. One tag adds a launcher and a help panel to any page:
 *   <script src="BASE/static/widget.js" data-key="WIDGET_KEY" async></script>
 * Optional: data-email + data-email-hash (HMAC-SHA256 of the lower-case address under the
 * widget secret, computed by the site's server), data-name, data-language.
 * JavaScript: HelpdeskWidget.open(), .close(), .identify({email, hash, name}).
 *
 * Plain JavaScript, no dependencies, nothing to build. Everything lives in an open Shadow
 * DOM whose styles the host page cannot reach (and which cannot reach the page); the
 * launcher and the panel are fixed boxes, so the page never shifts. Nothing is fetched from
 * the help desk until the page is idle or the visitor opens the panel. What the visitor
 * types is kept in localStorage until the request is sent, so a reload or a lost
 * connection loses nothing. */
(() => {
  "use strict";
  const win = window, doc = document;
  if (win.HelpdeskWidget && win.HelpdeskWidget.version) return;
  const script = doc.currentScript || doc.querySelector("script[data-key][src*='widget.js']");
  if (!script) return;
  const opts = script.dataset, KEY = opts.key || "";
  const src = new URL(script.src, location.href);
  const API = src.origin + src.pathname.replace(/\/static\/widget\.js$/, "") + "/widget/" +
    encodeURIComponent(KEY);
  const PREVIEW = opts.preview ? doc.querySelector(opts.preview) : null;
  const STORE = "hdw:" + KEY + ":";

  const T = {
    en: {launcher: "Help", open: "Open the help form", title: "Contact us", close: "Close",
      name: "Your name", email: "E-mail", subject: "Subject", body: "How can we help?",
      department_id: "Department", attachments: "Attach files", choose: "Choose…",
      send: "Send", sending: "Sending…", required: "required",
      suggest: "These articles may answer your question:", back: "Back to the form",
      read: "Open on the site", retry: "Try again",
      offline: "We could not reach the help desk. Nothing you typed is lost.",
      thanks: "Thank you! We have received your request.", number: "Request number",
      follow: "Follow your request", again: "Write another request",
      busy: "Too many requests. Try again in {s} s.", failed: "Something went wrong. Try again.",
      big: "“{f}” is larger than {n}.", many: "At most {n} files.", remove: "Remove",
      preview: "Preview: nothing is sent from here.", verified: "Signed in as {e}",
      refile: "Files are not kept after a reload: attach them again."},
    ru: {launcher: "Помощь", open: "Открыть форму обращения", title: "Напишите нам",
      close: "Закрыть", name: "Ваше имя", email: "Электронная почта", subject: "Тема",
      body: "Чем мы можем помочь?", department_id: "Отдел", attachments: "Прикрепить файлы",
      choose: "Выберите…", send: "Отправить", sending: "Отправка…", required: "обязательно",
      suggest: "Возможно, ответ есть в этих статьях:", back: "Вернуться к форме",
      read: "Открыть на сайте", retry: "Повторить",
      offline: "Не удалось связаться со службой поддержки. Всё, что вы написали, сохранено.",
      thanks: "Спасибо! Мы получили ваше обращение.", number: "Номер обращения",
      follow: "Следить за обращением", again: "Написать ещё одно обращение",
      busy: "Слишком много запросов. Повторите через {s} с.",
      failed: "Что-то пошло не так. Попробуйте ещё раз.", big: "«{f}» больше {n}.",
      many: "Не больше {n} файлов.", remove: "Убрать",
      preview: "Предпросмотр: отсюда ничего не отправляется.", verified: "Вы вошли как {e}",
      refile: "Файлы не сохраняются после перезагрузки: прикрепите их снова."},
    kk: {launcher: "Көмек", open: "Өтініш формасын ашу", title: "Бізге жазыңыз",
      close: "Жабу", name: "Атыңыз", email: "Электрондық пошта", subject: "Тақырып",
      body: "Қалай көмектесе аламыз?", department_id: "Бөлім", attachments: "Файл тіркеу",
      choose: "Таңдаңыз…", send: "Жіберу", sending: "Жіберілуде…", required: "міндетті",
      suggest: "Бұл мақалаларда жауап болуы мүмкін:", back: "Формаға оралу",
      read: "Сайтта ашу", retry: "Қайталау",
      offline: "Қолдау қызметіне қосылу мүмкін болмады. Жазғаныңыздың бәрі сақталды.",
      thanks: "Рахмет! Өтінішіңізді алдық.", number: "Өтініш нөмірі",
      follow: "Өтінішті бақылау", again: "Тағы бір өтініш жазу",
      busy: "Сұраулар тым көп. {s} секундтан кейін қайталаңыз.",
      failed: "Бірдеңе дұрыс болмады. Қайталап көріңіз.", big: "«{f}» {n} көлемінен үлкен.",
      many: "Ең көбі {n} файл.", remove: "Алып тастау",
      preview: "Алдын ала қарау: мұнда ештеңе жіберілмейді.",
      verified: "Сіз {e} ретінде кірдіңіз",
      refile: "Бет қайта жүктелгенде файлдар сақталмайды: оларды қайта тіркеңіз."},
  };

  const STYLE = `
:host{all:initial!important;display:block!important;position:fixed!important;top:0!important;
left:0!important;width:0!important;height:0!important;overflow:visible!important;
z-index:2147483000!important;visibility:visible!important;opacity:1!important}
:host(.pv){position:relative!important;width:auto!important;height:auto!important;z-index:0!important}
@media print{:host{display:none!important}}
.w{all:initial;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d2733}
.w *{box-sizing:border-box;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
[hidden]{display:none!important}
.l{position:fixed;right:20px;bottom:20px;display:flex;align-items:center;gap:8px;padding:12px 18px;
border:0;border-radius:999px;background:var(--c);color:var(--t);font-weight:600;cursor:pointer;
box-shadow:0 4px 14px rgba(0,0,0,.25)}
.l svg{width:20px;height:20px;fill:currentColor}
.p{position:fixed;right:20px;bottom:84px;width:min(390px,calc(100vw - 32px));
max-height:min(660px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;
border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.28);overflow:hidden}
.pv .l,.pv .p{position:static;margin:0 0 12px auto}
.pv .p{max-height:none;width:100%}
.h{display:flex;gap:12px;align-items:flex-start;padding:16px 18px;background:var(--c);color:var(--t)}
.h div{flex:1}.h h2{margin:0;font-size:18px;font-weight:650}.h p{margin:4px 0 0;opacity:.92}
.x{border:0;background:transparent;color:inherit;font-size:24px;line-height:1;cursor:pointer;padding:2px 6px}
.b{padding:16px 18px;overflow:auto;flex:1}
.f label,.lg{display:block;font-weight:600;margin:0 0 4px}
.fl{margin:0 0 14px}
.rq{color:#c62828;margin-left:2px}
input,select,textarea{display:block;width:100%;padding:9px 10px;border:1px solid #c5cfdb;border-radius:8px;
background:#fff;font-size:16px}
textarea{min-height:110px;resize:vertical}
input[type=checkbox]{display:inline-block;width:auto;margin:0 8px 0 0}
input[readonly]{background:#f4f6f9}
input:focus,select:focus,textarea:focus,button:focus-visible,a:focus-visible{outline:3px solid var(--c);outline-offset:1px}
[aria-invalid=true]{border-color:#c62828}
.er{color:#c62828;font-size:14px;margin:4px 0 0}
.al{padding:10px 12px;border-radius:8px;background:#fdecec;color:#8a1c1c;margin:0 0 14px}
.al p{margin:0}
.al.i{background:#eaf2ff;color:#1d3f7a}
.al button{margin-top:8px}
button.s,.al button,.k{border:0;border-radius:8px;padding:10px 16px;background:var(--c);color:var(--t);
font-weight:600;cursor:pointer}
button.s[disabled]{opacity:.6;cursor:progress}
.lk{border:0;background:none;color:#1d4ed8;cursor:pointer;padding:0;text-decoration:underline}
.sg{margin:8px 0 0;padding:10px;background:#f4f6f9;border-radius:8px}
.sg p{margin:0 0 6px;font-size:14px}.sg ul,.fs{list-style:none;margin:0;padding:0}
.sg li{margin:0 0 6px}.sg small{display:block;color:#66768a;font-size:13px}
mark{background:#fff3b0;color:inherit}
.fs li{display:flex;justify-content:space-between;gap:8px;font-size:14px;padding:4px 0}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.ar h3{font-size:18px;margin:10px 0}.ar img{max-width:100%}.ar a{color:#1d4ed8}
.ar pre{white-space:pre-wrap;background:#f4f6f9;padding:8px;border-radius:6px}
.ok{text-align:center;padding:12px 0}.ok strong{font-size:22px;display:block;margin:6px 0 12px}
.ok a{display:inline-block;margin:0 0 14px;color:#1d4ed8}
.n{font-size:13px;color:#66768a;margin:4px 0 0}
@media (max-width:480px){.w:not(.pv) .p{inset:0;width:100%;max-height:none;height:100%;border-radius:0}
.w:not(.pv).o .l{display:none}}
@media (prefers-reduced-motion:no-preference){.p{animation:in .18s ease-out}}
@keyframes in{from{opacity:0;transform:translateY(8px)}}`;

  const store = {
    get(k) { try { return JSON.parse(localStorage.getItem(STORE + k)); } catch (e) { return null; } },
    set(k, v) { try { localStorage.setItem(STORE + k, JSON.stringify(v)); } catch (e) { /* full */ } },
    drop(k) { try { localStorage.removeItem(STORE + k); } catch (e) { /* private mode */ } },
  };
  const session = {
    get(k) { try { return sessionStorage.getItem(STORE + k); } catch (e) { return null; } },
    set(k, v) { try { sessionStorage.setItem(STORE + k, v); } catch (e) { /* private mode */ } },
  };

  let config = null, lang = "en", t = T.en, loading = null, sending = false, files = [];
  let root, wrap, launcher, panel, body, form, alertBox, suggestBox, lastQuery = "";
  let suggestTimer, suggestAbort, draftTimer, pending = null, opened = false, sent = false;
  const identity = {email: opts.email || "", hash: opts.emailHash || "", name: opts.name || ""};
  let sid = session.get("sid");
  if (!sid) { sid = Math.random().toString(36).slice(2) + Date.now().toString(36); session.set("sid", sid); }

  // --- small helpers ---------------------------------------------------------------------
  function h(tag, attrs, kids) {
    const el = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids || []) if (kid) el.append(kid);
    return el;
  }
  const say = (key, values) => String(t[key] || T.en[key]).replace(/\{(\w)\}/g, (m, k) => values[k]);
  const size = (n) => n >= 1048576 ? (n / 1048576).toFixed(1).replace(/\.0$/, "") + " MB" :
    Math.ceil(n / 1024) + " KB";

  // Markup from the server is sanitized there; only known tags, links and images pass here.
  const TAGS = /^(P|BR|STRONG|B|EM|I|U|S|DEL|MARK|A|UL|OL|LI|H[1-6]|BLOCKQUOTE|PRE|CODE|HR|TABLE|THEAD|TBODY|TR|TH|TD|IMG|SPAN|SUP|SUB)$/;
  function safe(html, only) {
    const out = doc.createDocumentFragment();
    const copy = (from, to) => {
      for (const node of from.childNodes) {
        if (node.nodeType === 3) { to.append(node.nodeValue); continue; }
        if (node.nodeType !== 1) continue;
        if (!(only ? only.test(node.tagName) : TAGS.test(node.tagName))) { copy(node, to); continue; }
        const el = doc.createElement(node.tagName);
        for (const name of ["href", "src", "alt", "title", "colspan", "rowspan"]) {
          const v = node.getAttribute(name);
          if (v == null) continue;
          if ((name === "href" || name === "src") && !/^(https?:|mailto:)/i.test(v)) continue;
          el.setAttribute(name, v);
        }
        if (el.tagName === "A") { el.target = "_blank"; el.rel = "noopener noreferrer"; }
        copy(node, el);
        to.append(el);
      }
    };
    copy(new DOMParser().parseFromString(String(html || ""), "text/html").body, out);
    return out;
  }

  function pickLanguage() {
    const wanted = [opts.language, config && config.language].concat(navigator.languages || [])
      .concat([config && config.default_language]);
    for (const code of wanted) {
      const short = String(code || "").slice(0, 2).toLowerCase();
      if (T[short]) return short;
    }
    return "en";
  }

  function contrast(hex) {
    const n = parseInt(String(hex).slice(1), 16);
    const lum = (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
    return lum > 0.6 ? "#111" : "#fff";
  }

  // --- the shell: host, launcher, panel ---------------------------------------------------
  function shell() {
    if (root) return;
    const host = doc.createElement("helpdesk-widget");
    root = host.attachShadow({mode: "open"});
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.append(h("style", {text: STYLE}));
    }
    wrap = h("div", {class: "w", lang: "en"});
    const icon = doc.createElementNS("http://www.w3.org/2000/svg", "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("aria-hidden", "true");
    const path = doc.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    icon.append(path);
    launcher = h("button", {type: "button", class: "l", "aria-controls": "hdw-panel",
      "aria-expanded": "false", hidden: true, onclick: () => (panel.hidden ? open() : close())},
    [icon, h("span")]);
    panel = h("section", {class: "p", id: "hdw-panel", role: "dialog", "aria-labelledby": "hdw-title",
      hidden: true, onkeydown: (e) => { if (e.key === "Escape" && !PREVIEW) { close(); launcher.focus(); } }});
    wrap.append(launcher, panel);
    root.append(wrap);
    if (PREVIEW) { host.className = "pv"; wrap.classList.add("pv"); PREVIEW.append(host); }
    else (doc.body || doc.documentElement).append(host);
  }

  function apply() {
    lang = pickLanguage();
    t = T[lang];
    wrap.setAttribute("lang", lang);
    const colour = /^#[0-9a-f]{6}$/i.test(config.colors && config.colors.primary) ?
      config.colors.primary : "#2563eb";
    wrap.style.setProperty("--c", colour);
    wrap.style.setProperty("--t", contrast(colour));
    launcher.lastChild.textContent = say("launcher");
    launcher.setAttribute("aria-label", say("launcher") + ": " + say("open"));
    launcher.hidden = false;
    render();
    if (PREVIEW || session.get("open") === "1") open(false);
  }

  // --- the form ---------------------------------------------------------------------------
  function label(f) { return f.label || t[f.name] || f.name; }

  function control(f, id, draft) {
    const described = "hdw-e-" + f.name;
    const common = {id, name: f.custom ? "fields." + f.name : f.name, "aria-describedby": described,
      "aria-required": f.required ? "true" : null};
    const value = draft[common.name];
    if (f.kind === "textarea") return h("textarea", common, [value || ""]);
    if (f.kind === "department" || f.kind === "select") {
      const select = h("select", common, [h("option", {value: "", text: t.choose})]);
      for (const o of f.options || []) {
        select.append(h("option", {value: o.value, text: o.label, selected: String(o.value) === value}));
      }
      return select;
    }
    if (f.kind === "checkbox") return h("input", {...common, type: "checkbox", value: "true", checked: value === "true"});
    if (f.kind === "file") {
      return h("input", {...common, name: null, type: "file", multiple: true,
        accept: (f.accept || []).join(","), onchange: (e) => addFiles(f, e.target)});
    }
    const input = h("input", {...common, type: f.kind === "email" ? "email" : f.kind === "number" ? "number" : "text",
      autocomplete: {name: "name", email: "email"}[f.name] || "off", value: value || ""});
    if (f.name === "email" && identity.email) { input.value = identity.email; input.readOnly = true; }
    if (f.name === "name" && identity.name && !value) input.value = identity.name;
    if (f.name === "subject") input.addEventListener("input", () => suggestSoon(input.value));
    return input;
  }

  function render() {
    const draft = store.get("draft") || {};
    const title = (config.texts && config.texts.title) || t.title;
    const greeting = config.texts && config.texts.greeting;
    panel.replaceChildren(
      h("header", {class: "h"}, [
        h("div", {}, [h("h2", {id: "hdw-title", text: title}), greeting && h("p", {text: greeting})]),
        PREVIEW ? null : h("button", {type: "button", class: "x", "aria-label": t.close,
          onclick: () => { close(); launcher.focus(); }, text: "×"})]),
      body = h("div", {class: "b"}));
    alertBox = h("div", {class: "al", role: "alert", hidden: true});
    form = h("form", {class: "f", novalidate: true, onsubmit: submit, oninput: saveSoon, onchange: saveSoon},
      [alertBox]);
    files = [];
    for (const f of config.fields || []) {
      if ((f.kind === "department" || f.kind === "select") && !(f.options || []).length) continue;
      const id = "hdw-f-" + f.name;
      const input = control(f, id, draft);
      const parts = f.kind === "checkbox" ?
        [h("label", {for: id}, [input, label(f), f.required && h("span", {class: "rq", "aria-hidden": "true", text: "*"})])] :
        [h("label", {for: id}, [label(f), f.required && h("span", {class: "rq", "aria-hidden": "true", text: " *"})]), input];
      if (f.name === "email" && identity.email && identity.hash) {
        parts.push(h("p", {class: "n", text: say("verified", {e: identity.email})}));
      }
      if (f.kind === "file") {
        parts.push(h("ul", {class: "fs", "aria-live": "polite"}));
        if (draft._files) parts.push(h("p", {class: "n", text: t.refile}));
      }
      parts.push(h("p", {class: "er", id: "hdw-e-" + f.name, hidden: true}));
      if (f.name === "subject") parts.push(suggestBox = h("div", {class: "sg", "aria-live": "polite", hidden: true}));
      form.append(h("div", {class: "fl", "data-field": f.custom ? "fields." + f.name : f.name}, parts));
    }
    form.append(h("div", {class: "hp", "aria-hidden": "true"}, [
      h("label", {}, ["Website", h("input", {name: "website", tabindex: "-1", autocomplete: "off"})])]));
    form.append(h("button", {type: "submit", class: "s", text: t.send}));
    body.append(form);
    lastQuery = "";
  }

  function addFiles(f, input) {
    const err = root.getElementById("hdw-e-attachments");
    let problem = "";
    for (const file of input.files) {
      if (f.max_file_bytes && file.size > f.max_file_bytes) problem = say("big", {f: file.name, n: size(f.max_file_bytes)});
      else if (f.max_files && files.length >= f.max_files) problem = say("many", {n: f.max_files});
      else files.push(file);
    }
    input.value = "";
    showFiles();
    fieldError("attachments", problem);
    if (!problem && err) err.hidden = true;
  }

  function showFiles() {
    const list = form.querySelector(".fs");
    if (!list) return;
    list.replaceChildren(...files.map((file, i) => h("li", {}, [file.name + " (" + size(file.size) + ")",
      h("button", {type: "button", class: "lk", text: t.remove, "aria-label": t.remove + ": " + file.name,
        onclick: () => { files.splice(i, 1); showFiles(); }})])));
  }

  function values() {
    const out = {};
    for (const el of form.elements) {
      if (!el.name || el.type === "file" || el.name === "website") continue;
      out[el.name] = el.type === "checkbox" ? (el.checked ? "true" : "") : el.value;
    }
    return out;
  }

  function saveSoon() {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(() => store.set("draft", {...values(), _files: files.length > 0}), 250);
  }

  function fieldError(name, message) {
    const box = form.querySelector(`[data-field="${CSS_ESCAPE(name)}"]`);
    if (!box) return false;
    const err = box.querySelector(".er"), input = box.querySelector("input,select,textarea");
    err.textContent = message || "";
    err.hidden = !message;
    if (input) input.setAttribute("aria-invalid", message ? "true" : "false");
    return true;
  }
  const CSS_ESCAPE = (s) => (win.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&"));

  function showAlert(message, retry, info) {
    alertBox.replaceChildren(h("p", {text: message}));
    alertBox.className = info ? "al i" : "al";
    if (retry) alertBox.append(h("button", {type: "button", text: t.retry, onclick: () => submit()}));
    alertBox.hidden = false;
  }

  // --- sending ----------------------------------------------------------------------------
  async function submit(event) {
    if (event) event.preventDefault();
    if (sending) return;
    alertBox.hidden = true;
    for (const err of form.querySelectorAll(".er")) err.hidden = true;
    for (const el of form.querySelectorAll("[aria-invalid]")) el.setAttribute("aria-invalid", "false");
    if (PREVIEW) return showAlert(t.preview, false, true);
    const fields = Object.entries(values());
    fields.push(["website", form.elements.website.value]);
    if (identity.hash) fields.push(["email_hash", identity.hash]);
    // Files go as a multipart form; text alone as a urlencoded one (the server reads it
    // faster). Both are simple requests: no CORS preflight.
    let data = new URLSearchParams(fields);
    if (files.length) {
      data = new FormData();
      for (const [name, value] of fields) data.append(name, value);
      for (const file of files) data.append("attachments", file, file.name);
    }
    const button = form.querySelector("button.s");
    sending = true;
    button.disabled = true;
    button.textContent = t.sending;
    let response, answer = {};
    try {
      response = await fetch(API + "/tickets?language=" + lang, {method: "POST", body: data, credentials: "omit"});
      answer = await response.json().catch(() => ({}));
    } catch (e) {
      response = null;
    } finally {
      sending = false;
      button.disabled = false;
      button.textContent = t.send;
    }
    if (!response) return showAlert(t.offline, true);
    if (response.status === 201) return done(answer);
    const error = answer.error || {};
    if (response.status === 429) {
      return showAlert(say("busy", {s: response.headers.get("Retry-After") || "60"}), true);
    }
    if (response.status === 422 || response.status === 413) {
      for (const [name, message] of Object.entries(error.fields || {})) fieldError(name, message);
      showAlert(error.message || t.failed, false);
      const first = form.querySelector("[aria-invalid=true]");  // the first in the form's order
      if (first) first.focus();
      return;
    }
    showAlert(error.message || t.failed, true);
  }

  function done(answer) {
    sent = true;
    session.set("sent", "1");
    store.drop("draft");
    files = [];
    const thanks = (config.texts && config.texts.thanks) || t.thanks;
    const status = answer.status_url && h("a", {href: answer.status_url, target: "_blank", rel: "noopener", text: t.follow});
    body.replaceChildren(h("div", {class: "ok", role: "status"}, [
      h("p", {text: thanks}),
      answer.number != null && h("p", {}, [t.number, h("strong", {text: "#" + answer.number})]),
      status, h("div", {}, [h("button", {type: "button", class: "k", text: t.again, onclick: () => { render(); focusFirst(); }})])]));
    body.querySelector("a,button").focus();
  }

  // --- suggestions and articles -----------------------------------------------------------
  function suggestSoon(text) {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(() => suggestNow(text.trim()), 350);
  }

  async function suggestNow(query) {
    if (PREVIEW || !suggestBox || query === lastQuery) return;
    lastQuery = query;
    if (query.length < 3) { suggestBox.hidden = true; return; }
    if (suggestAbort) suggestAbort.abort();
    suggestAbort = new AbortController();
    let found = [];
    try {
      const r = await fetch(API + "/suggest?language=" + lang + "&q=" + encodeURIComponent(query),
        {credentials: "omit", signal: suggestAbort.signal});
      found = r.ok ? (await r.json()).articles || [] : [];
    } catch (e) {
      return;
    }
    suggestBox.hidden = !found.length;
    suggestBox.replaceChildren(h("p", {text: t.suggest}), h("ul", {}, found.map((a) => h("li", {}, [
      h("button", {type: "button", class: "lk", text: a.title, onclick: () => showArticle(a)}),
      h("small", {}, [safe(a.snippet, /^MARK$/)])]))));
  }

  async function showArticle(summary) {
    let article = null;
    try {
      const r = await fetch(API + "/articles/" + encodeURIComponent(summary.id) + "?language=" + lang, {credentials: "omit"});
      if (r.ok) article = await r.json();
    } catch (e) { /* offline: fall back to the site */ }
    if (!article) { win.open(summary.url, "_blank", "noopener"); return; }
    opened = true;
    session.set("opened", "1");
    const back = h("button", {type: "button", class: "lk", text: "← " + t.back,
      onclick: () => { view.remove(); form.hidden = false; const s = form.querySelector("[name=subject]"); if (s) s.focus(); }});
    const heading = h("h3", {tabindex: "-1", text: article.title});
    const view = h("article", {class: "ar"}, [back, heading, h("div", {}, [safe(article.body_html)]),
      h("p", {}, [h("a", {href: article.url, target: "_blank", rel: "noopener", text: t.read})])]);
    form.hidden = true;
    body.append(view);
    heading.focus();
  }

  // --- opening, loading, the end of the visit ----------------------------------------------
  function focusFirst() {
    const first = [...form.elements].find((el) => el.name !== "website" && !el.readOnly && !el.value && el.type !== "hidden");
    (first || form.elements[0]).focus();
  }

  async function open(focus = true) {
    shell();
    if (!config) { await load(); if (!config) return; }
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    wrap.classList.add("o");
    if (!PREVIEW) session.set("open", "1");
    const subject = form && form.querySelector("[name=subject]");
    if (subject && subject.value) suggestSoon(subject.value);  // a draft's subject, after a reload
    if (focus && form && !form.hidden) focusFirst();
  }

  function close() {
    if (!panel || PREVIEW) return;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    wrap.classList.remove("o");
    session.set("open", "0");
  }

  function load() {
    if (loading) return loading;
    loading = fetch(API + "/config", {credentials: "omit"}).then((r) => {
      if (!r.ok) throw r.status;
      return r.json();
    }).then((fresh) => {
      const changed = JSON.stringify(fresh) !== JSON.stringify(config);
      const showing = panel && !panel.hidden;
      store.set("config", fresh);
      if (!changed || (showing && config)) return;  // an open form is not redrawn under the visitor
      config = fresh;
      apply();
    }).catch((status) => {
      loading = null;
      if (status === 403 || status === 404) {
        store.drop("config");
        if (launcher) launcher.hidden = true;
        console.warn("Help desk widget: " + (status === 404 ? "unknown widget key" :
          "this site is not among the widget's allowed origins") + " (" + location.origin + ")");
      }
    });
    return loading;
  }

  function farewell() {
    if (form && form.isConnected) store.set("draft", {...values(), _files: files.length > 0});
    if (opened && !sent && session.get("sent") !== "1" && session.get("beacon") !== "1" && navigator.sendBeacon) {
      navigator.sendBeacon(API + "/beacon", JSON.stringify({deflected: true, session: sid}));
      session.set("beacon", "1");
    }
  }

  win.HelpdeskWidget = {
    version: 1,
    open: () => open(),
    close,
    identify(who) {
      identity.email = (who && who.email) || "";
      identity.hash = (who && who.hash) || "";
      identity.name = (who && who.name) || identity.name;
      if (config) render();
    },
    preview(fresh) {
      if (!PREVIEW) return;
      shell();
      config = fresh;
      apply();
    },
  };

  if (PREVIEW) {
    doc.dispatchEvent(new CustomEvent("helpdesk-widget:ready"));
    return;
  }
  opened = session.get("opened") === "1";
  win.addEventListener("pagehide", farewell);
  doc.addEventListener("visibilitychange", () => { if (doc.visibilityState === "hidden") farewell(); });
  const start = () => {
    shell();
    const cached = store.get("config");
    if (cached && cached.key === KEY) { config = cached; apply(); }
  };
  if (doc.body) start(); else doc.addEventListener("DOMContentLoaded", start, {once: true});
  const idle = () => ("requestIdleCallback" in win ? win.requestIdleCallback(load, {timeout: 5000}) : setTimeout(load, 1500));
  if (doc.readyState === "complete") idle(); else win.addEventListener("load", idle, {once: true});
})();
