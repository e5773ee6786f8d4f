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
      translations: box.dataset.placeholder ? { placeholder: box.dataset.placeholder } : {}
    });
    // A visible <label for="search-input"> stands above the box (a placeholder alone is no
    // label); the input Pagefind just rendered gets that id.
    var input = box.querySelector("input");
    if (input) input.id = "search-input";
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
    keepFilterOrder(box);
  }

  // Pagefind lists the filters sorted by name, so Region, Topic, Year in English came out as
  // 主题, 地区, 年份 in Chinese. The page gives the order; the filter blocks are moved into it
  // whenever Pagefind adds them. Moved, not reordered with CSS, so that the keyboard and screen
  // readers meet them in the order seen. Pagefind updates each block in place, wherever it is.
  function keepFilterOrder(box) {
    var order = JSON.parse(box.dataset.filters || "[]");
    if (!order.length) return;
    function rank(block) {
      var legend = block.querySelector("legend");
      var i = order.indexOf(legend ? legend.textContent.trim() : "");
      return i < 0 ? order.length : i;
    }
    function arrange() {
      var panel = box.querySelector(".pagefind-ui__filter-panel");
      if (!panel) return;
      var blocks = Array.prototype.slice.call(panel.querySelectorAll(":scope > details"));
      var sorted = blocks.slice().sort(function (a, b) { return rank(a) - rank(b); });
      var same = sorted.every(function (b, i) { return b === blocks[i]; });
      if (same) return; // also ends the round of mutations the moves themselves cause
      var after = blocks[blocks.length - 1].nextSibling;
      sorted.forEach(function (b) { panel.insertBefore(b, after); });
    }
    new MutationObserver(arrange).observe(box, { childList: true, subtree: true });
    arrange();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
