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
      translations: box.dataset.placeholder ? { placeholder: box.dataset.placeholder } : {}
    });
    // A visible <label for="search-input"> stands above the box (a placeholder alone is no
    // label); the input Pagefind just rendered gets that id.
    var input = box.querySelector("input");
    if (input) input.id = "search-input";
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
