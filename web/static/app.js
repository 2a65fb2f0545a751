// Progressive enhancement: everything works without this file.
// With it: results update as you type (debounced, through the JSON API),
// "/" focuses the search box, the back button restores earlier queries,
// section pages get a "copy citation" button, and a #section link finds its page of a long translation.
(function () {
  "use strict";
  var DEBOUNCE_MS = 300;
  var MIN_CHARS = 2;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Snippet with <mark>s built from the plain text and match offsets: never innerHTML.
  function snippet(hit) {
    var p = el("p", { "class": "snippet" });
    var text = hit.snippet, pos = 0;
    (hit.highlights || []).forEach(function (span) {
      p.appendChild(document.createTextNode(text.slice(pos, span[0])));
      p.appendChild(el("mark", null, text.slice(span[0], span[1])));
      pos = span[1];
    });
    p.appendChild(document.createTextNode(text.slice(pos)));
    return p;
  }

  // Every link comes from the server (the API's "links" and "permalink"; the form's own addresses):
  // this file builds no URL of the site itself.
  function withQuery(url, q) {
    if (!url) return url;
    var hash = url.indexOf("#") >= 0 ? url.slice(url.indexOf("#")) : "";
    var base = hash ? url.slice(0, url.indexOf("#")) : url;
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(q) + hash;
  }

  function render(container, data, q, searchPage) {
    container.textContent = "";
    container.appendChild(el("h1", { "class": "results-heading" }, "Results for “" + q + "”"));
    if (data.suggestion) {
      var s = el("p", { "class": "suggestion" }, "Did you mean ");
      s.appendChild(el("a", { href: searchPage + "?q=" + encodeURIComponent(data.suggestion) }, data.suggestion));
      s.appendChild(document.createTextNode("?"));
      container.appendChild(s);
    }
    (data.warnings || []).forEach(function (w) {
      container.appendChild(el("p", { "class": "note" }, w.charAt(0).toUpperCase() + w.slice(1) + "."));
    });
    if (!data.results.length) {
      container.appendChild(el("p", null, "No section matches “" + q + "”. Check the spelling or try fewer words."));
      return;
    }
    var notices = Object.keys(data.facets.notice || {}).length;
    container.appendChild(el("p", { "class": "total" }, data.total + " section" + (data.total === 1 ? "" : "s") +
      " in " + notices + " notice" + (notices === 1 ? "" : "s") + "."));
    var list = el("ol", { "class": "results" });
    data.results.forEach(function (hit) {
      var li = el("li", { "class": "hit" });
      var head = el("p", { "class": "hit-notice" });
      head.appendChild(el("a", { href: hit.links.notice }, hit.notice_title));
      head.appendChild(el("br"));
      head.appendChild(el("span", { "class": "meta-line" }, (hit.number ? hit.number + " · " : "") + (hit.date || "undated")));
      li.appendChild(head);
      var h = el("h2");
      h.appendChild(el("span", { "class": "sid" }, hit.section === "front" ? "" : hit.section_label));
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("a", { href: withQuery(hit.links.read, q) }, hit.title || (hit.section === "front" ? "Front matter" : "(untitled)")));
      li.appendChild(h);
      if (hit.parent_title) li.appendChild(el("p", { "class": "breadcrumb" }, "in " + hit.section.split(".")[0] + ". " + hit.parent_title));
      li.appendChild(snippet(hit));
      var where = el("p", { "class": "where" }, "In the " + (hit.translation_label || hit.translation) + " · ");
      where.appendChild(el("a", { href: hit.permalink }, "permalink"));
      if (hit.links.compare && hit.section !== "front") {
        where.appendChild(document.createTextNode(" · "));
        where.appendChild(el("a", { href: hit.links.compare }, "compare translations"));
      }
      li.appendChild(where);
      list.appendChild(li);
    });
    container.appendChild(list);
    if (data.has_more) {
      var more = el("p");
      more.appendChild(el("a", { href: searchPage + "?q=" + encodeURIComponent(q) + "&page=2" }, "More results →"));
      container.appendChild(more);
    }
  }

  function findSectionPage() {
    var anchor;
    try { anchor = decodeURIComponent(location.hash.slice(1)); } catch (e) { return false; }
    if (!anchor || document.getElementById(anchor)) return false;
    var m = /^s(\d+)(?:-(\d+))?$/.exec(anchor);
    var section = anchor === "front" ? "front" : m ? m[1] + (m[2] ? "." + m[2] : "") : null;
    if (!section) return false;
    var params = new URLSearchParams(location.search);
    params.delete("page");
    params.set("section", section);
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

    if (!input || !container || !window.fetch) return;
    var api = input.getAttribute("data-live-search");
    var searchPage = input.form.getAttribute("action");
    var timer = null, controller = null, lastQuery = input.value.trim();

    function run(q, push) {
      if (controller) controller.abort();
      if (q.length < MIN_CHARS) return;
      controller = window.AbortController ? new AbortController() : null;
      fetch(api + "?limit=10&q=" + encodeURIComponent(q), controller ? { signal: controller.signal } : {})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          render(container, data, q, searchPage);
          var url = searchPage + "?q=" + encodeURIComponent(q);
          if (push) history.pushState({ q: q }, "", url); else history.replaceState({ q: q }, "", url);
          document.title = q + " – Search – Policy knowledge base";
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q === lastQuery) return;
        lastQuery = q;
        run(q, true);
      }, DEBOUNCE_MS);
    });

    window.addEventListener("popstate", function () {
      var q = new URLSearchParams(location.search).get("q") || "";
      input.value = q;
      lastQuery = q;
      if (location.pathname === searchPage && q) run(q, false); else location.reload();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
