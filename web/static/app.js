// Progressive enhancement: everything works without this file.
// With it: results update as you type (debounced; the server renders them), the word being typed matches
// as a prefix, "/" focuses the search box, the back button restores earlier queries,
// section pages get a "copy citation" button, and a #section link finds its page of a long translation.
(function () {
  "use strict";
  var DEBOUNCE_MS = 300;
  var MIN_CHARS = 2;

  function findSectionPage() {
    var anchor;
    try { anchor = decodeURIComponent(location.hash.slice(1)); } catch (e) { return false; }
    if (!anchor || document.getElementById(anchor)) return false;
    var params = new URLSearchParams(location.search);
    if (params.has("anchor") || params.has("section")) return false;  // asked once already: not a section here
    // the server knows which section an anchor names (SectionId.from_anchor), and the page that shows it
    params.delete("page");
    params.set("anchor", anchor);
    location.replace(location.pathname + "?" + params.toString() + location.hash);
    return true;
  }

  function setup() {
    var input = document.querySelector("input[data-live-search]");
    var container = document.getElementById("live-results");
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
      if (e.key === "/" && !typing && input) { e.preventDefault(); input.focus(); input.select(); }
    });

    document.querySelectorAll("button[data-copy]").forEach(function (btn) {
      if (!navigator.clipboard) return;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var source = document.querySelector(btn.getAttribute("data-copy"));
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          btn.textContent = "Copied";
          setTimeout(function () { btn.textContent = "Copy citation"; }, 2000);
        }, function () { btn.textContent = "Copy failed: select the text"; });
      });
    });

    // A long translation is read page by page: a #anchor link from elsewhere (a live result, the API)
    // whose section is not on this page asks the server for the page that shows it.
    if (document.querySelector(".doc-body[data-paged]")) {
      window.addEventListener("hashchange", findSectionPage);
      if (findSectionPage()) return;
    }

    if (input && container) liveResults(input, container);
  }

  // Live results: the results page's own fragment (/search/results, the server's template) fetched as the
  // reader types and swapped in. Every link and every word of it comes from the server; this file only
  // serialises the search form, whose hidden fields hold the filters and order shown.
  function liveResults(input, container) {
    var status = document.getElementById("live-status");
    var form = input.form;
    if (!status || !form || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
    var fragment = input.getAttribute("data-live-search");
    var searchPage = new URL(form.action, location.href).pathname;
    var initial = location.href, initialTitle = document.title;
    var shown = location.pathname === searchPage ? location.search.slice(1) : null;
    var timer = null, controller = null;
    // One history entry per typing burst: its first settled query pushes one, later ones replace it, so a
    // single Back leaves the query. A burst ends when the box loses focus, when the reader moves in history
    // or submits, and when the box is cleared or its text typed over (under MIN_CHARS: a new query begins).
    var pushed = false;

    function params(value) {
      var p = new URLSearchParams();
      new FormData(form).forEach(function (v, k) { p.append(k, k === input.name ? value.trim() : v); });
      // a word not yet followed by a space is still being typed: the server matches it as a prefix too
      if (!/\s$/.test(value)) p.set("prefix", "1");
      return p.toString();
    }

    function homeShown(visible) {
      document.querySelectorAll("[data-live-hide]").forEach(function (node) { node.hidden = !visible; });
    }

    function swap(text, ok) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var root = doc.querySelector(".results-body");
      var announce;
      if (ok && root) {
        document.title = root.getAttribute("data-title") || document.title;
        announce = root.getAttribute("data-status") || "";
      } else {  // an error page: its heading and message (a filter that names nothing, a query too long)
        var main = doc.querySelector("main");
        if (!main) return false;
        root = document.createElement("div");
        root.className = "results-body";
        while (main.firstChild) root.appendChild(main.firstChild);
        var message = root.querySelector("p");
        announce = message ? message.textContent : "";
      }
      container.textContent = "";
      container.appendChild(document.adoptNode(root));
      homeShown(false);
      status.textContent = announce;  // the count, not the list: the container itself is not a live region
      return true;
    }

    // how: "settle" (typing: push the burst's first entry, replace it after), or "restore" (history: none)
    function run(query, how) {
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(fragment + "?" + query, controller ? { signal: controller.signal } : {})
        .then(function (r) { return r.text().then(function (text) { return { ok: r.ok, text: text }; }); })
        .then(function (answer) {
          if (!swap(answer.text, answer.ok)) return;
          shown = query;
          if (how !== "settle") return;
          var url = searchPage + "?" + query;
          if (pushed) history.replaceState({ live: query }, "", url);
          else history.pushState({ live: query }, "", url);
          pushed = true;
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (input.value.trim().length < MIN_CHARS) pushed = false;
      timer = setTimeout(function () {
        if (input.value.trim().length < MIN_CHARS) return;
        var query = params(input.value);
        if (query !== shown) run(query, "settle");
      }, DEBOUNCE_MS);
    });
    input.addEventListener("blur", function () { pushed = false; });
    form.addEventListener("submit", function () {  // a submitted query is searched as typed, by the page itself
      clearTimeout(timer);
      if (controller) controller.abort();
    });

    window.addEventListener("popstate", function () {
      clearTimeout(timer);
      pushed = false;
      if (location.pathname === searchPage) {
        var query = location.search.slice(1);
        input.value = new URLSearchParams(query).get(input.name) || "";
        if (query !== shown) run(query, "restore");
      } else if (location.href === initial) {  // back to the page the results were typed on
        if (controller) controller.abort();
        input.value = "";
        container.textContent = "";
        status.textContent = "";
        homeShown(true);
        shown = null;
        document.title = initialTitle;
      } else {
        location.reload();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
