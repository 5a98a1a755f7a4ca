// Keyboard and screen-reader users keep their place when htmx replaces part of a page.
// htmx itself restores focus to an element with the same id and focuses [autofocus] in new
// content; where neither applies, focus would fall back to <body>: move it into the new
// content instead. Texts marked data-announce are read out through the page's live region.
(function () {
  var FOCUSABLE = "[autofocus], button, a[href], input:not([type=hidden]), select, textarea";

  function lostFocus() {
    var active = document.activeElement;
    return !active || active === document.body || !document.body.contains(active);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var content = event.target;
    if (!content || !document.body.contains(content)) content = event.detail.target;
    if (!content || !document.body.contains(content)) return;
    if (lostFocus()) {
      var next = content.matches(FOCUSABLE) ? content : content.querySelector(FOCUSABLE);
      if (next) next.focus();
    }
    var announcer = document.getElementById("announcer");
    var notices = content.querySelectorAll("[data-announce]");
    if (announcer && notices.length) {
      announcer.textContent = Array.prototype.map
        .call(notices, function (notice) { return notice.textContent.trim(); })
        .join(" ");
    }
  });
})();

// Browsers without ::details-content cannot show a closed menu's links on a wide screen.
(function () {
  var menu = document.getElementById("nav-menu");
  if (menu && !CSS.supports("selector(::details-content)") &&
      window.matchMedia("(min-width: 48rem)").matches) {
    menu.open = true;
  }
})();
