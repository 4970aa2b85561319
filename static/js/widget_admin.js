// The widget settings page: copy buttons, showing the secret, moving form fields up and
// down, and the live preview — the real widget.js (in preview mode) drawn from the form as
// it is now, saved or not.
(() => {
  "use strict";
  const form = document.getElementById("widget-form");
  const preview = document.getElementById("widget-preview");

  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const source = document.querySelector(button.dataset.copy);
      const label = button.textContent;
      try {
        await navigator.clipboard.writeText(source.value);
      } catch (e) {
        const type = source.type;
        source.type = "text";
        source.select();
        document.execCommand("copy");
        source.type = type;
      }
      button.textContent = button.dataset.copied;
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  }

  for (const button of document.querySelectorAll("[data-reveal]")) {
    const input = document.querySelector(button.dataset.reveal);
    const show = button.textContent;
    button.addEventListener("click", () => {
      const hidden = input.type === "password";
      input.type = hidden ? "text" : "password";
      button.textContent = hidden ? button.dataset.hideLabel : show;
    });
  }

  if (!form || !preview) return;
  const body = form.querySelector(".widget-fields tbody");

  function renumber() {
    [...body.rows].forEach((row, index) => {
      row.querySelector("input[type=number]").value = index + 1;
    });
  }

  body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move]");
    if (!button) return;
    const row = button.closest("tr");
    if (button.dataset.move === "up" && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
    } else if (button.dataset.move === "down" && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
    }
    renumber();
    button.focus();
    draw();
  });

  const catalog = JSON.parse(preview.dataset.catalog);
  const known = Object.fromEntries(catalog.fields.map((field) => [field.name, field]));

  function chosenFields() {
    const rows = [...body.rows].map((row) => ({
      row, name: row.dataset.fieldRow,
      position: Number(row.querySelector("input[type=number]").value) || 99,
    })).sort((a, b) => a.position - b.position);
    const fields = [];
    for (const {row, name} of rows) {
      const field = known[name];
      const show = row.querySelector(`[name="on-${name}"]`);
      if (!field || !show.checked) continue;
      const label = row.querySelector(`[name="label-${name}"]`).value.trim();
      const required = row.querySelector(`[name="required-${name}"]`).checked;
      fields.push({...field, label: label || (field.custom ? field.label : null),
                   required: required || (field.custom && field.required)});
    }
    const departments = [...form.querySelectorAll("[name=department]:checked")].map((b) => Number(b.value));
    for (const field of fields) {
      if (field.name === "department_id" && departments.length) {
        field.options = field.options.filter((option) => departments.includes(option.value));
      }
    }
    for (const field of catalog.fields) {  // a required custom field is always asked for
      if (field.custom && field.required && !fields.some((f) => f.name === field.name)) fields.push(field);
    }
    return fields;
  }

  let timer;  // a redraw waiting for typing to pause

  function draw() {
    clearTimeout(timer);  // drawn now: a pending redraw would only wipe what the preview shows
    if (!window.HelpdeskWidget || !window.HelpdeskWidget.preview) return;
    window.HelpdeskWidget.preview({
      ...catalog,
      fields: chosenFields(),
      colors: {primary: form.elements.color.value},
      texts: {title: form.elements.title.value, greeting: form.elements.greeting.value,
              thanks: form.elements.thanks.value},
      language: form.elements.language.value || null,
    });
  }

  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(draw, 150); });
  form.addEventListener("change", draw);
  document.addEventListener("helpdesk-widget:ready", draw);
  draw();
})();
