/* naikkelas catalogue: tell the server a product page was seen (counted once per visitor per day, nothing
   personal sent). The URL comes from the script tag's data-url. */
(function () {
  "use strict";
  var me = document.currentScript;
  var url = me && me.getAttribute("data-url");
  if (url && navigator.sendBeacon) {
    navigator.sendBeacon(url);
  }
})();
