// Irreversible or public steps on a plan (发布, 撤回, 删除) ask first: a form with
// data-confirm="…" submits only when the reader confirms the question. (A static file: the
// content security policy forbids inline scripts.)
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
