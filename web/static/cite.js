// A section's citation: one click (or focus and Enter) selects all of it, so Ctrl+C / Cmd+C copies it in any
// browser; where the clipboard API is available (a secure context: https or localhost), a Copy button too.
(function () {
  "use strict";

  function selectAll(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setUp(button) {
    var source = document.querySelector(button.getAttribute("data-cite-copy"));
    if (!source) return;
    var status = button.parentNode.querySelector(".cite-status");
    function say(text) { if (status) status.textContent = text; }

    source.addEventListener("click", function () { selectAll(source); });
    source.addEventListener("focus", function () { selectAll(source); });
    source.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); selectAll(source); }
    });

    // navigator.clipboard exists only in a secure context; elsewhere the selection and Ctrl+C are the way.
    if (!window.isSecureContext || !navigator.clipboard || !navigator.clipboard.writeText) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
        say("Citation copied.");
        setTimeout(function () { button.textContent = "Copy citation"; }, 2000);
      }, function () {
        selectAll(source);
        button.textContent = "Copy failed";
        say("Copying was refused: the citation is selected, press Ctrl+C (⌘C on a Mac) to copy it.");
      });
    });
  }

  function start() {
    document.querySelectorAll("button[data-cite-copy]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
