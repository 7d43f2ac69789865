// planwatch page behaviour. Loaded as a static file: the content security policy forbids
// inline scripts and event-handler attributes.
(function () {
  "use strict";

  // A <select class="js-autosubmit"> submits its form on change (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.classList.contains("js-autosubmit")) {
      target.form.submit();
    }
  });

  // Irreversible steps ask first: a button or form with data-confirm="…" (下达清单, 批量通过).
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[data-confirm], a[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // File inputs labelled in the page's language: show the chosen file's name.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    var name = input.parentElement ? input.parentElement.querySelector(".file-input-name") : null;
    if (!name) return;
    var n = input.files ? input.files.length : 0;
    name.textContent = n === 0 ? name.dataset.empty
      : n === 1 ? input.files[0].name : name.dataset.many.replace("%(n)s", String(n));
  });

  // Unit pickers: a <select class="unit-picker"> becomes a searchable Tom Select (typing
  // filters, arrows and Enter choose, Backspace removes); the native select stays underneath.
  function unitPickers(root) {
    if (typeof window.TomSelect !== "function") return;
    root.querySelectorAll("select.unit-picker").forEach(function (select) {
      if (select.tomselect) return;
      var multiple = select.multiple;
      new window.TomSelect(select, {
        plugins: multiple ? { remove_button: { title: select.dataset.remove || "" } } : {},
        maxOptions: null,
        allowEmptyOption: !multiple,
        placeholder: select.dataset.placeholder || "",
        searchField: ["text"],
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = select.dataset.noResults || "";
            return div;
          }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { unitPickers(document); });
  document.addEventListener("htmx:load", function (event) { unitPickers(event.target); });

  // Bulk actions: a header checkbox selects every row of the page.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains("select-all")) return;
    var table = box.closest("table");
    if (!table) return;
    table.querySelectorAll("input[type=checkbox][name=pk]").forEach(function (row) {
      row.checked = box.checked;
    });
  });

  // Upload progress: htmx reports the bytes sent; show them on the form's <progress>.
  function progressFor(elt) {
    var form = elt.closest ? elt.closest("form") : null;
    return form ? form.querySelector(".upload-progress") : null;
  }
  document.addEventListener("htmx:xhr:progress", function (event) {
    var box = progressFor(event.target);
    if (!box || !event.detail.lengthComputable) return;
    var bar = box.querySelector("progress");
    var label = box.querySelector(".upload-progress-label");
    var pct = Math.round((event.detail.loaded / event.detail.total) * 100);
    box.classList.add("active");
    bar.value = pct;
    if (label) {
      label.textContent = pct < 100 ? box.dataset.sending + " " + pct + "%" : box.dataset.parsing;
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = progressFor(event.target);
    if (!box) return;
    var files = box.closest("form").querySelector("input[type=file]");
    var n = files && files.files ? files.files.length : 0;
    box.classList.add("active");
    box.querySelector("progress").value = 0;
    var count = box.querySelector(".upload-progress-files");
    if (count) count.textContent = String(n);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = progressFor(event.target);
    if (box) box.classList.remove("active");
  });
})();
