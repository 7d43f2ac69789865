// The review table's "select all" box: checks or unchecks every row at once.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("check-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll('#intake-rows input[name="row"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
});
