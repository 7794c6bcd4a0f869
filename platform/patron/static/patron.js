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

// Record pickers (macros/forms.html, patron.web.pickers): the search box asks the server for
// matching records as the user types; choosing one puts its id in the hidden input the form
// sends (firing "change", which modules' form panels listen to). Leaving the box without
// choosing puts the chosen record's title back; emptying it clears the choice.
(function () {
  "use strict";
  function parts(element) {
    var picker = element.closest("[data-picker]");
    return picker && {
      picker: picker,
      value: picker.querySelector("input[type=hidden]"),
      box: picker.querySelector("input[type=search]"),
      list: picker.querySelector("[role=listbox]")
    };
  }
  function choose(p, value, title) {
    var changed = p.value.value !== value;
    p.value.value = value;
    p.value.dataset.title = title;
    p.box.value = title;
    p.list.replaceChildren();
    if (changed) { p.value.dispatchEvent(new Event("change", {bubbles: true})); }
  }
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-picker] [role=option]");
    if (option) {
      var p = parts(option);
      choose(p, option.dataset.value, option.textContent.trim());
      p.box.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    var p = parts(event.target);
    if (!p) { return; }
    if (event.key === "Escape") {
      p.list.replaceChildren();
    } else if (event.key === "ArrowDown" && event.target === p.box) {
      var first = p.list.querySelector("[role=option]");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  document.addEventListener("focusout", function (event) {
    var p = parts(event.target);
    if (!p) { return; }
    setTimeout(function () {
      if (p.picker.contains(document.activeElement)) { return; }
      if (!p.box.value.trim()) {
        choose(p, "", "");
      } else {
        p.box.value = p.value.dataset.title || "";
      }
      p.list.replaceChildren();
    }, 150);
  });
})();

// A technical name suggested from a label (a custom field's "name" from its "Label"): typed
// into the label, it follows as lower-case letters, digits and underscores, until someone
// types into the name itself.
(function () {
  document.addEventListener("input", function (event) {
    var source = event.target;
    if (source.dataset.nameFrom !== undefined) {
      source.dataset.typed = "1";
      return;
    }
    document.querySelectorAll("[data-name-from='#" + source.id + "']").forEach(function (name) {
      if (name.dataset.typed) { return; }
      name.value = source.value.normalize("NFKD").toLowerCase()
        .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").replace(/^(\d)/, "f_$1")
        .slice(0, 63);
    });
  });
})();

// A picker that follows another field (an activity's related record follows its kind) is
// emptied when that field changes: the record it named is of another kind now.
document.addEventListener("change", function (event) {
  if (!event.target.id) { return; }
  document.querySelectorAll("[data-kind-from='#" + event.target.id + "']").forEach(function (picker) {
    var value = picker.querySelector("input[type=hidden]");
    var box = picker.querySelector("input[type=search]");
    value.value = ""; value.dataset.title = ""; box.value = "";
    value.dispatchEvent(new Event("change", {bubbles: true}));
  });
});

// Tabs that remember the open one ([data-remember-tab]): it is kept in the address
// (#<pane id>), so a reload, a form posted in it (htmx swapping the page's body) or a link to
// something inside a pane (#competitors) opens that pane again.
(function () {
  function reopen() {
    if (!location.hash || !window.bootstrap) { return; }
    var target;
    try { target = document.querySelector(location.hash); } catch (e) { return; }
    var pane = target && (target.classList.contains("tab-pane") ? target : target.closest(".tab-pane"));
    if (!pane) { return; }
    var tab = document.querySelector("[data-remember-tab] [data-bs-target='#" + pane.id + "']");
    if (tab) { bootstrap.Tab.getOrCreateInstance(tab).show(); }
  }
  document.addEventListener("shown.bs.tab", function (event) {
    if (event.target.closest("[data-remember-tab]")) {
      history.replaceState(null, "", event.target.dataset.bsTarget);
    }
  });
  document.addEventListener("DOMContentLoaded", reopen);
  document.addEventListener("htmx:afterSettle", reopen);
})();

// Small behaviours declared in the markup, so that no page needs an inline handler (the
// Content-Security-Policy runs no inline script without the page's nonce): [data-print]
// prints the page, [data-submit-on-change] submits its form, [data-select-on-focus] selects
// its text.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-submit-on-change]")) { event.target.form.requestSubmit(); }
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) { event.target.select(); }
});

// Fields shown only while another field of their form has some values
// ([data-shown-when="status"][data-shown-values="resolved closed"]): a ticket's resolution
// appears when it is being resolved.
document.addEventListener("change", function (event) {
  var form = event.target.form;
  if (!form || !event.target.name) { return; }
  form.querySelectorAll("[data-shown-when='" + event.target.name + "']").forEach(function (box) {
    var values = box.dataset.shownValues.split(" ");
    box.classList.toggle("d-none", values.indexOf(event.target.value) < 0);
  });
});

// A list's bulk selection (#bulk-form): the bar appears with the first ticked row and counts
// the rows; the header box ticks every row on the page; "Select every record that matches"
// makes the selection the list's whole query (sent as the query, not as ids).
function bulkRows() {
  return document.querySelectorAll("input[name='ids'][form='bulk-form']");
}
function showBulkBar(form) {
  var ticked = Array.prototype.filter.call(bulkRows(), function (box) { return box.checked; });
  var all = form.elements.selection.value === "all";
  var pageBox = document.querySelector("[data-select-page]");
  form.classList.toggle("d-none", !ticked.length && !all);
  form.querySelector("[data-bulk-count]").textContent =
    all ? form.dataset.allText : form.dataset.countText.replace("__N__", ticked.length);
  form.querySelector("[data-select-matching]").classList.toggle(
    "d-none", all || !(pageBox && pageBox.checked));
}
document.addEventListener("change", function (event) {
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  if (event.target.matches("[data-select-page]")) {
    bulkRows().forEach(function (box) { box.checked = event.target.checked; });
  }
  if (event.target.matches("[data-select-page], input[name='ids'][form='bulk-form']")) {
    form.elements.selection.value = "ids";
    showBulkBar(form);
  }
});
document.addEventListener("click", function (event) {
  if (!event.target.closest("[data-select-matching]")) { return; }
  var form = document.getElementById("bulk-form");
  form.elements.selection.value = "all";
  showBulkBar(form);
});
