// The live preview's page script (served by `shadow-report preview` only).
// When the server says the page changed, the new page replaces the old one
// where the drafter is reading (its body, title and stylesheets; a change to
// the rest of its head reloads it), and the bar shows the state of its PDF.
(function () {
  "use strict";
  const bar = document.getElementById("preview-bar");
  if (!bar) return;
  const page = bar.dataset.page;
  let etag = bar.dataset.etag;
  const key = "preview-scroll:" + location.pathname;

  // Back where the drafter was after a full reload (once the fonts are in, too).
  history.scrollRestoration = "manual";
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const y = Number(saved);
    window.scrollTo(0, y);
    document.fonts.ready.then(function () { window.scrollTo(0, y); });
  }

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  // One refresh at a time; a change announced meanwhile fetches again after it.
  let loading = false;
  let again = false;
  function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    fetch(location.href, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        const next = new DOMParser().parseFromString(text, "text/html");
        const nextBar = next.getElementById("preview-bar");
        if (!nextBar || restOfHead(next.head) !== restOfHead(document.head)) {
          reload();
          return;
        }
        return stylesheets(next.head).then(function () { swap(next, nextBar); });
      })
      .catch(reload)
      .finally(function () {
        loading = false;
        if (again) { again = false; refresh(); }
      });
  }

  // The head but its stylesheet links, title and metadata: when only those
  // changed (a stylesheet was saved), the new stylesheets are loaded before
  // the old go, and the page is not reloaded.
  function restOfHead(head) {
    const copy = head.cloneNode(true);
    copy.querySelectorAll("link[rel=stylesheet], title, meta").forEach(function (element) {
      element.remove();
    });
    return copy.innerHTML;
  }

  function stylesheets(head) {
    const wanted = Array.from(head.querySelectorAll("link[rel=stylesheet]"),
                              function (link) { return link.getAttribute("href"); });
    const present = Array.from(document.head.querySelectorAll("link[rel=stylesheet]"));
    const loads = [];
    for (const href of wanted) {
      if (present.some(function (old) { return old.getAttribute("href") === href; })) continue;
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      loads.push(new Promise(function (done) { link.onload = link.onerror = done; }));
      // In the place of the same stylesheet's earlier version: the same cascade.
      const path = href.split("?")[0];
      const earlier = present.find(function (old) {
        return old.getAttribute("href").split("?")[0] === path;
      });
      if (earlier) earlier.after(link); else document.head.appendChild(link);
    }
    return Promise.all(loads).then(function () {
      for (const old of present) if (!wanted.includes(old.getAttribute("href"))) old.remove();
    });
  }

  // The new page in the place of the old, where the drafter is reading.
  function swap(next, nextBar) {
    const x = window.scrollX, y = window.scrollY;
    const open = Array.from(document.querySelectorAll("details[class^=preview-][open]"),
                            function (details) { return details.className; });
    for (const id of ["preview-pdf-status", "preview-live"]) {  // they stay as they are
      const now = document.getElementById(id), then = next.getElementById(id);
      if (now && then) then.replaceWith(now);
    }
    document.body.replaceWith(next.body);
    for (const name of open) {
      const details = document.querySelector("details." + name);
      if (details) details.open = true;
    }
    window.scrollTo(x, y);
    document.title = next.title;
    etag = nextBar.dataset.etag;
  }

  const events = new EventSource("/_preview/events?page=" + encodeURIComponent(page));
  function live(text, state) {
    const element = document.getElementById("preview-live");
    element.textContent = text;
    element.className = state;
  }
  events.onopen = function () { live("live", "on"); };
  events.onerror = function () {
    live("no connection to the preview: is it still running?", "off");
  };
  events.addEventListener("page", function (event) {
    if (event.data !== etag) refresh();
  });

  let ticking = null;
  function show(pdf) {
    const status = document.getElementById("preview-pdf-status");
    clearInterval(ticking);
    status.textContent = "";
    if (pdf.state === "building") {
      const since = Date.now() - pdf.elapsed * 1000;
      const tick = function () {
        document.getElementById("preview-pdf-status").textContent = "building " + page +
          ".pdf… " + Math.round((Date.now() - since) / 1000) + " s";
      };
      tick();
      ticking = setInterval(tick, 1000);
    } else if (pdf.state === "done") {
      status.textContent = page + ".pdf: " + pdf.pages + " pages, built in " + pdf.seconds +
        " s" + (pdf.stale ? " (before the last change)" : "");
    } else if (pdf.state === "failed") {
      status.textContent = page + ".pdf could not be built:";
      const list = document.createElement("ul");
      for (const problem of pdf.problems) {
        const item = document.createElement("li");
        item.textContent = problem;
        list.appendChild(item);
      }
      status.appendChild(list);
    }
  }
  events.addEventListener("pdf", function (event) { show(JSON.parse(event.data)); });
})();
