// The compare page without reloading: the link that shows or hides the marked differences becomes a toggle
// button. The page works without this file (the link sets ?diff=0 or drops it); the marks are always in the
// page, and the "no-diff" class on the columns hides them (and their words for screen readers).
(function () {
  "use strict";

  var link = document.querySelector("a[data-diff-toggle]");
  if (!link) return;
  var columns = document.getElementById(link.getAttribute("data-diff-toggle"));
  if (!columns) return;
  var legend = link.parentNode;

  function shown() { return !columns.classList.contains("no-diff"); }

  // This page's address with diff=0 (hidden) or without it (shown, the default); other parameters kept.
  function withState(href, show) {
    var url = new URL(href, location.href);
    if (show) url.searchParams.delete("diff"); else url.searchParams.set("diff", "0");
    return url.pathname + url.search + url.hash;
  }

  var button = document.createElement("button");
  button.type = "button";
  button.className = "diff-toggle";
  button.textContent = "Mark differences";

  function apply(show) {
    columns.classList.toggle("no-diff", !show);
    legend.classList.toggle("no-diff", !show);
    button.setAttribute("aria-pressed", show ? "true" : "false");
    // the state follows the reader to the neighbouring sections, through the picker, and across a reload
    document.querySelectorAll(".pager a").forEach(function (a) { a.href = withState(a.href, show); });
    var form = document.querySelector("form.compare-pick");
    if (form) {
      var hidden = form.querySelector("input[name=diff]");
      if (show && hidden) hidden.remove();
      if (!show && !hidden) {
        hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = "diff"; hidden.value = "0";
        form.appendChild(hidden);
      }
    }
    history.replaceState(history.state, "", withState(location.href, show));
  }

  button.addEventListener("click", function () { apply(!shown()); });
  link.replaceWith(button);
  legend.classList.toggle("no-diff", !shown());
  button.setAttribute("aria-pressed", shown() ? "true" : "false");
})();
