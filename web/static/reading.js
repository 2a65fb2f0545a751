// Reading pages, progressively enhanced (everything here is optional; the page reads without it):
// - the contents mark the section being read (aria-current="location"): the one in the address's #hash,
//   else the last heading scrolled past the top of the screen;
// - arriving from a result (?q=), the marked words get "previous / next match" buttons and a count;
// - the contents, folded into a <details> on phones, open on wide screens.
(function () {
  "use strict";
  //: Same width as the stylesheet's phone layout (style.css: @media (max-width: 48rem)).
  var PHONE = "(max-width: 48rem)";
  //: A heading counts as the one being read once its top is above this share of the screen.
  var READING_LINE = 0.25;

  function tocLinks() {
    return Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
  }

  // -- the section being read ----------------------------------------------------------
  function markCurrent(anchor) {
    tocLinks().forEach(function (a) {
      if (a.getAttribute("href") === "#" + anchor) {
        if (!a.hasAttribute("aria-current")) { a.setAttribute("aria-current", "location"); reveal(a); }
      } else a.removeAttribute("aria-current");
    });
  }

  // Keep the marked entry in sight within the contents' own scrolling box (never scrolling the page itself).
  function reveal(a) {
    var box = a.closest(".toc-fold");
    if (!box || box.scrollHeight <= box.clientHeight) return;
    var r = a.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.top < b.top) box.scrollTop -= b.top - r.top + 16;
    else if (r.bottom > b.bottom) box.scrollTop += r.bottom - b.bottom + 16;
  }

  function fromHash() {
    var anchor;
    try { anchor = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (anchor && document.getElementById(anchor)) markCurrent(anchor);
  }

  function followScrolling() {
    var headings = Array.prototype.slice.call(document.querySelectorAll(".doc-body h2[id], .doc-body h3[id], .doc-body h4[id], .doc-body h5[id]"));
    if (!headings.length) return;
    var pending = false;
    function update() {
      pending = false;
      var line = window.innerHeight * READING_LINE, current = null;
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].getBoundingClientRect().top <= line) current = headings[i];
        else break;
      }
      if (current) markCurrent(current.id);
    }
    window.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(update); }
    }, { passive: true });
  }

  // -- matches of the query the reader came with ---------------------------------------
  function matchControls() {
    var box = document.querySelector("[data-marked]");
    var marks = Array.prototype.slice.call(document.querySelectorAll(".doc-body mark, .section-body mark"));
    if (!box || !marks.length) return;
    var current = -1;
    var bar = document.createElement("p");
    bar.className = "match-nav";
    var prev = button("← Previous match"), next = button("Next match →");
    var status = document.createElement("span");
    status.className = "match-count";
    status.setAttribute("role", "status");
    status.textContent = marks.length + (marks.length === 1 ? " match" : " matches");
    bar.appendChild(prev);
    bar.appendChild(next);
    bar.appendChild(status);
    box.appendChild(bar);

    function button(text) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      return b;
    }

    function go(step) {
      if (current >= 0) marks[current].classList.remove("current-match");
      current = current < 0 ? (step > 0 ? firstBelowTop() : marks.length - 1) : (current + step + marks.length) % marks.length;
      var m = marks[current];
      m.classList.add("current-match");
      m.scrollIntoView({ block: "center" });
      status.textContent = "Match " + (current + 1) + " of " + marks.length;
    }

    // The first move goes to the first match at or below the top of the screen: arriving at #section, that
    // is the section's first match, not the document's.
    function firstBelowTop() {
      for (var i = 0; i < marks.length; i++) if (marks[i].getBoundingClientRect().top >= 0) return i;
      return 0;
    }

    prev.addEventListener("click", function () { go(-1); });
    next.addEventListener("click", function () { go(1); });

    // The bar stays at the top of the screen: a section arrived at by its #anchor is placed below it, however
    // tall the bar is at this width (the stylesheet's margin is a guess for when this script does not run).
    function clearBar() {
      document.documentElement.style.setProperty("--marked-bar", box.offsetHeight + "px");
    }
    clearBar();
    window.addEventListener("resize", clearBar);
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }

  // -- the contents: folded on phones, open beside the text on wide screens ------------
  function fold() {
    var details = document.querySelector("details[data-fold]");
    if (!details || !window.matchMedia) return;
    var phone = window.matchMedia(PHONE);
    function apply() { details.open = !phone.matches; }
    apply();
    if (phone.addEventListener) phone.addEventListener("change", apply);
    // on a phone, following an entry folds the contents away again, so the section is what the screen shows
    details.addEventListener("click", function (e) {
      if (phone.matches && e.target.closest && e.target.closest("a[href^='#']")) details.open = false;
    });
  }

  function setup() {
    fold();
    fromHash();
    window.addEventListener("hashchange", fromHash);
    followScrolling();
    matchControls();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
