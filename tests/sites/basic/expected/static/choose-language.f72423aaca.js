// Sends a reader of the root page to the language their browser prefers; the page itself
// lists both languages, so readers without JavaScript choose by hand.
(function () {
  var prefs = navigator.languages || [navigator.language || "en"];
  for (var i = 0; i < prefs.length; i++) {
    var code = String(prefs[i]).toLowerCase();
    if (code.indexOf("zh") === 0) { location.replace("zh/index.html"); return; }
    if (code.indexOf("en") === 0) { location.replace("en/index.html"); return; }
  }
  location.replace("en/index.html");
})();
