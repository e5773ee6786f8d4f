// Sends a reader of the root page to the language their browser prefers. The languages are the
// page's own links (generated from site.yaml): each says in data-match which browser language
// tags lead to it. Readers without JavaScript choose by hand; the first link is the default.
(function () {
  var links = document.querySelectorAll("a[data-match]");
  if (!links.length) { return; }
  var prefs = navigator.languages || [navigator.language || ""];
  for (var i = 0; i < prefs.length; i++) {
    var pref = String(prefs[i]).toLowerCase();
    var best = null, bestLength = 0;
    for (var j = 0; j < links.length; j++) {
      var tags = links[j].getAttribute("data-match").split(" ");
      for (var k = 0; k < tags.length; k++) {
        var tag = tags[k];
        var fits = pref === tag || pref.indexOf(tag + "-") === 0;
        if (fits && tag.length > bestLength) { best = links[j]; bestLength = tag.length; }
      }
    }
    if (best) { location.replace(best.getAttribute("href")); return; }
  }
  location.replace(links[0].getAttribute("href"));
})();
