// The app shell's keyboard and typeahead behaviour (templates/base.html); no build step.
(function () {
  "use strict";
  var input = document.getElementById("global-search-input");
  var box = document.getElementById("search-suggestions");
  if (!input || !box) { return; }
  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }
  // "/" focuses the search box, as in GitHub, GitLab and most CRMs; Escape closes the list.
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !typing(event.target) && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      input.focus();
      input.select();
    } else if (event.key === "Escape" && box.firstElementChild) {
      box.replaceChildren();
    }
  });
  document.addEventListener("click", function (event) {
    if (!document.getElementById("global-search").contains(event.target)) {
      box.replaceChildren();
    }
  });
})();
