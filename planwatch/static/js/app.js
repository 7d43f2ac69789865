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
