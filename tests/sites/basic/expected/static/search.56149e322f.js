// Starts Pagefind's search UI on the search page. A file rather than an inline script, so the
// Content-Security-Policy can forbid inline script. A query in ?q= runs at once, so a search
// can be linked to.
(function () {
  function start() {
    var box = document.getElementById("search");
    if (!box || typeof PagefindUI === "undefined") return;
    var ui = new PagefindUI({
      element: "#search",
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      // Pagefind counts words; Han text is split into words of one or two characters, so the
      // page says how many make an excerpt of a few lines in its language.
      excerptLength: Number(box.dataset.excerptWords) || 30,
      // The site's own wording, which also tells search.js when a search found nothing.
      translations: { placeholder: box.dataset.placeholder, zero_results: box.dataset.zero }
    });
    // A visible <label for="search-input"> stands above the box (a placeholder alone is no
    // label); the input Pagefind just rendered gets that id.
    var input = box.querySelector("input");
    if (input) input.id = "search-input";
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
      completeFilters(box, ui);
    }
    if (input) elsewhere(box, input);
    keepFilterOrder(box);
  }

  // A search started as the page opens (?q=) can run before Pagefind has loaded every filter's
  // data; its result then counts only the filters loaded so far, and the box shows those alone
  // (on a busy machine, one load in ten: "Topic" with no Region or Year). If the box had no
  // filter data at all, it fills the panel with whole-site counts once the data is in, which
  // promise results a click then does not find. So while results are shown with a panel short
  // of the page's filters, and once more after such a panel, the search is run again with the
  // reader's own selection (a new selection object makes the box search again), by which time
  // the filters' data is in. Each repair is given time to land before the next. Pagefind's
  // "Searching for ..." line stands until the first results, so the checks go on through it
  // (they once stopped at that line, and a short panel stayed for good).
  function completeFilters(box, ui) {
    var expected = JSON.parse(box.dataset.filters || "[]").length;
    if (!expected) return;
    var EVERY = 200; // ms between checks
    var GAP = 1000; // ms a repair's search is given to land, longer each time
    var started = Date.now();
    var repairs = 0;
    var stale = false; // a short panel was shown with results, and not repaired since
    var landing = 0; // until then a repair's search may not have landed: the panel is not judged
    function short() {
      return box.querySelectorAll(".pagefind-ui__filter-panel > details").length < expected;
    }
    // Every change of the box is looked at, not only the checks' samples: a panel filled with
    // whole-site counts can follow a bare one within a few milliseconds.
    function look() {
      if (Date.now() >= landing && box.querySelector(".pagefind-ui__result") && short()) {
        stale = true;
      }
    }
    function selection() {
      var chosen = {};
      box.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (input) {
        (chosen[input.name] = chosen[input.name] || []).push(input.value);
      });
      return chosen;
    }
    var observer = new MutationObserver(look);
    observer.observe(box, { childList: true, subtree: true });
    function check() {
      look();
      var now = Date.now();
      if (now >= landing && !stale && !short()) {
        observer.disconnect(); // complete, and no repair under way
        return;
      }
      if (stale && now >= landing && repairs < 6) {
        repairs += 1;
        stale = false;
        landing = now + GAP * repairs;
        ui.triggerFilters(selection());
      }
      if (now - started < 60000) setTimeout(check, EVERY);
      else observer.disconnect();
    }
    setTimeout(check, EVERY);
  }

  // Pagefind lists the filters sorted by name, so Region, Topic, Year in English came out as
  // 主题, 地区, 年份 in Chinese. The page gives the order; each filter block is marked with its
  // rank and the stylesheet orders the blocks (the panel is a flex column). The blocks are not
  // moved: they belong to Pagefind's UI, which updates them by position, and moving them made
  // it drop whole filters now and then (a filter panel with "Topic" alone). The keyboard meets
  // the blocks in Pagefind's order; the three filters are independent, so nothing depends on it.
  function keepFilterOrder(box) {
    var order = JSON.parse(box.dataset.filters || "[]");
    if (!order.length) return;
    function rank(block) {
      var legend = block.querySelector("legend");
      var i = order.indexOf(legend ? legend.textContent.trim() : "");
      return String(i < 0 ? order.length : i);
    }
    function mark() {
      box.querySelectorAll(".pagefind-ui__filter-panel > details").forEach(function (block) {
        var r = rank(block);
        if (block.dataset.filterRank !== r) block.dataset.filterRank = r;
      });
    }
    // Attributes are not observed, so the marks made here do not call it again.
    new MutationObserver(mark).observe(box, { childList: true, subtree: true, characterData: true });
    mark();
  }

  // A search with no results in this language may have some in another: a reader who types
  // 姜堰 on the English side is told how many the Chinese side has, with a link to that search.
  // The search box says when it found nothing (its "no results" message, in the page's own
  // wording); only then are the other languages' indexes loaded and searched.
  function elsewhere(box, input) {
    var note = document.getElementById("search-elsewhere");
    var others = JSON.parse(box.dataset.elsewhere || "[]");
    if (!note || !others.length || !box.dataset.module || !box.dataset.zero) return;
    var moduleUrl = new URL(box.dataset.module, document.baseURI).href;
    var basePath = moduleUrl.replace(/pagefind\.js$/, "");
    // Each other language's index is searched through its own copy of Pagefind's module (a
    // distinct URL makes a distinct module, with its own worker), never the search box's:
    // Pagefind keeps one WebAssembly instance per module, and another language's index loads
    // another one over it ("memory access out of bounds"); even same-language searches run
    // beside the box's own left its filter list incomplete now and then. Pagefind reads the
    // index language from <html lang> when an instance is created and has no option for it,
    // so the attribute is set for that one synchronous call (nothing renders in between).
    function instance(index) {
      return import(moduleUrl + "?index=" + encodeURIComponent(index)).then(function (pf) {
        var html = document.documentElement;
        var lang = html.getAttribute("lang");
        html.setAttribute("lang", index);
        try {
          return pf.createInstance({ basePath: basePath });
        } finally {
          html.setAttribute("lang", lang);
        }
      });
    }
    var instances = null;
    function otherInstances() {
      instances = instances || Promise.all(others.map(function (o) { return instance(o.index); }));
      return instances;
    }
    // The page's language's plural rule picks between the two prepared forms.
    var plural = new Intl.PluralRules(document.documentElement.getAttribute("lang") || undefined);
    var shown = null; // the term the note is (being) made for

    function count(i, term) {
      return i.search(term).then(function (found) {
        return found && found.results ? found.results.length : 0;
      });
    }

    function show(term, counts) {
      if (shown !== term) return; // the reader has moved on
      if (!counts.some(function (n) { return n > 0; })) {
        note.hidden = true;
        return;
      }
      note.textContent = box.dataset.none + " ";
      counts.forEach(function (n, i) {
        if (n === 0) return;
        var o = others[i];
        var link = document.createElement("a");
        link.href = o.href + "?q=" + encodeURIComponent(term);
        link.hreflang = o.hreflang;
        link.textContent = (plural.select(n) === "one" ? o.one : o.other)
          .replace("{count}", String(n));
        note.appendChild(link);
        note.appendChild(document.createTextNode(" "));
      });
      note.hidden = false;
    }

    function check() {
      var term = input.value.trim();
      var message = box.querySelector(".pagefind-ui__message");
      var none = term && message &&
        message.textContent.trim() === box.dataset.zero.replace("[SEARCH_TERM]", term).trim();
      if (!none) {
        shown = null;
        note.hidden = true;
        return;
      }
      if (shown === term) return;
      shown = term;
      otherInstances()
        .then(function (all) {
          return Promise.all(all.map(function (i) { return count(i, term); }));
        })
        .then(function (counts) { show(term, counts); })
        .catch(function () {
          note.hidden = true; // no hint rather than a broken one
        });
    }

    var timer = null;
    new MutationObserver(function () {
      clearTimeout(timer);
      timer = setTimeout(check, 100);
    }).observe(box, { childList: true, subtree: true, characterData: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
