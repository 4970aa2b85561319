/* Ticket desk: the rich-text composer, the template picker glue and keyboard shortcuts.
 *
 * Shortcuts (ignored while typing in a field):
 *   inbox:  j / k  next / previous ticket · o or Enter  open it · /  search · c  new ticket
 *   ticket: r  reply · n  private note · u  back to the inbox · /  search the inbox
 *   anywhere: ?  show the list · Esc  leave the field / close the list
 */
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  /* ---- composer: a contenteditable editor mirrored into the form's textarea ---- */
  function syncEditor(editor) {
    var target = document.getElementById(editor.dataset.target);
    if (target) target.value = editor.innerHTML.trim() === "<br>" ? "" : editor.innerHTML;
  }

  function setMode(composer, mode) {
    var internal = composer.querySelector("input[name=internal]");
    if (internal) internal.value = mode === "note" ? "1" : "";
    composer.classList.toggle("is-note", mode === "note");
    composer.querySelectorAll("[data-mode]").forEach(function (button) {
      var on = button.dataset.mode === mode;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    var send = composer.querySelector("[data-send]");
    if (send) send.textContent = send.dataset[mode === "note" ? "labelNote" : "labelReply"];
  }

  function focusEditor(composer) {
    var editor = composer.querySelector(".editor");
    if (!editor) return;
    editor.focus();
    var range = document.createRange();
    range.selectNodeContents(editor);
    range.collapse(false);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function initComposer(composer) {
    if (composer.dataset.ready) return;
    composer.dataset.ready = "1";
    var editor = composer.querySelector(".editor");
    if (editor) {
      editor.addEventListener("input", function () { syncEditor(editor); });
      composer.addEventListener("submit", function (event) {
        syncEditor(editor);
        var files = composer.querySelector("input[type=file][data-max-bytes]");
        if (files && !checkFiles(files)) event.preventDefault();
      });
    }
    composer.querySelectorAll("[data-mode]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        setMode(composer, button.dataset.mode);
        focusEditor(composer);
      });
    });
    var files = composer.querySelector("input[type=file][data-max-bytes]");
    if (files) files.addEventListener("change", function () { checkFiles(files); });
    var internal = composer.querySelector("input[name=internal]");
    setMode(composer, internal && internal.value ? "note" : "reply");
  }

  /* Files over the tenant's limit are refused before the upload starts, so the typed
   * message stays in the editor (the server checks again and keeps it too). */
  function oversized(input) {
    var limit = Number(input.dataset.maxBytes || 0);
    if (!limit || !input.files) return null;
    for (var i = 0; i < input.files.length; i++) {
      if (input.files[i].size > limit) return input.files[i];
    }
    return null;
  }

  function checkFiles(input) {
    var error = input.parentNode.querySelector("[data-file-error]");
    var file = oversized(input);
    if (error) {
      error.hidden = !file;
      error.textContent = file ? input.dataset.tooLarge.replace("{name}", file.name)
        .replace("{limit}", (Number(input.dataset.maxBytes) / 1048576).toFixed(1).replace(/\.0$/, "")) : "";
    }
    return !file;
  }

  function initAll(root) {
    (root || document).querySelectorAll("form.composer").forEach(initComposer);
  }

  /* A picked template arrives as a fragment with data-insert: its HTML goes into the editor. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var fragment = event.detail.target.querySelector("[data-insert]");
    if (fragment) {
      var composer = document.querySelector("form.composer");
      var editor = composer && composer.querySelector(".editor");
      if (editor) {
        var html = fragment.querySelector("template").innerHTML;
        if (editor.innerHTML.trim() && editor.innerHTML.trim() !== "<br>") {
          editor.insertAdjacentHTML("beforeend", "<p></p>");
        }
        editor.insertAdjacentHTML("beforeend", html);
        syncEditor(editor);
        focusEditor(composer);
      }
      event.detail.target.innerHTML = "";
      var search = composer && composer.querySelector("[data-template-search]");
      if (search) search.value = "";
    }
    initAll(event.detail.target);
  });

  /* ---- template picker: arrows move through the results, Enter picks; Enter in the
   * search box never sends the reply it sits in. ---- */
  document.addEventListener("keydown", function (event) {
    var picker = event.target.closest && event.target.closest(".picker");
    if (!picker) return;
    var buttons = Array.prototype.slice.call(picker.querySelectorAll(".picker-results button"));
    var index = buttons.indexOf(event.target);
    if (event.key === "Enter" && event.target.matches("[data-template-search]")) {
      event.preventDefault();
      if (buttons.length) buttons[0].click();
    } else if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[Math.min(buttons.length - 1, index + 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) picker.querySelector("[data-template-search]").focus();
      else buttons[index - 1].focus();
    }
  });

  /* ---- inbox: j/k selection ---- */
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-ticket-row]"));
  }

  function select(step) {
    var list = rows();
    if (!list.length) return;
    var current = list.findIndex(function (row) { return row.classList.contains("selected"); });
    var next = current < 0 ? 0 : Math.min(list.length - 1, Math.max(0, current + step));
    list.forEach(function (row) { row.classList.remove("selected"); });
    list[next].classList.add("selected");
    list[next].scrollIntoView({block: "nearest"});
  }

  /* The inbox list refreshes itself (hx-trigger="every 60s"), but not while the agent is
   * moving through it: a poll from an element marked data-poll-unless-selected is skipped
   * while a row is selected. (An htmx trigger filter would need eval, which the CSP forbids.) */
  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail && event.detail.elt;
    if (element && element.matches && element.matches("[data-poll-unless-selected]") &&
        document.querySelector("[data-ticket-row].selected")) {
      event.preventDefault();
    }
  });

  function openSelected() {
    var row = document.querySelector("[data-ticket-row].selected");
    if (row && row.dataset.href) window.location.href = row.dataset.href;
  }

  function inboxUrl() {
    var desk = document.querySelector("[data-inbox-url]");
    return desk ? desk.dataset.inboxUrl : null;
  }

  function toggleHelp(show) {
    var help = document.getElementById("shortcut-help");
    if (help) help.hidden = show === undefined ? !help.hidden : !show;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      toggleHelp(false);
      if (typing(document.activeElement)) document.activeElement.blur();
      return;
    }
    if (typing(event.target)) return;
    var composer = document.querySelector("form.composer");
    var search = document.querySelector("[data-search]");
    switch (event.key) {
      case "j": select(1); break;
      case "k": select(-1); break;
      case "o": case "Enter": if (rows().length) { openSelected(); } else { return; } break;
      case "/":
        if (search) { search.focus(); search.select(); }
        else if (inboxUrl()) { window.location.href = inboxUrl() + "?focus=search"; }
        break;
      case "r": case "n":
        if (!composer) return;
        setMode(composer, event.key === "n" ? "note" : "reply");
        focusEditor(composer);
        break;
      case "u":
        if (!inboxUrl() || !composer) return;
        window.location.href = inboxUrl();
        break;
      case "c":
        var create = document.querySelector("[data-new-ticket]");
        if (!create) return;
        window.location.href = create.href;
        break;
      case "?": toggleHelp(); break;
      default: return;
    }
    event.preventDefault();
  });

  /* A click anywhere on a row opens the ticket (links inside keep their own target). */
  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("[data-ticket-row]");
    if (row && !event.target.closest("a, button, input, select") && row.dataset.href) {
      window.location.href = row.dataset.href;
    }
  });

  /* The picker's results close when the focus leaves the picker. */
  document.addEventListener("focusout", function (event) {
    var picker = event.target.closest && event.target.closest(".picker");
    if (!picker) return;
    setTimeout(function () {
      if (!picker.contains(document.activeElement)) {
        var results = picker.querySelector(".picker-results");
        if (results) results.innerHTML = "";
      }
    }, 200);
  });

  document.addEventListener("DOMContentLoaded", function () {
    initAll(document);
    var search = document.querySelector("[data-search]");
    if (search && /[?&]focus=search\b/.test(window.location.search)) search.focus();
    document.querySelectorAll("[data-close-help]").forEach(function (button) {
      button.addEventListener("click", function () { toggleHelp(false); });
    });
  });
})();
