/* Directory search: shows the search box (hidden without JavaScript), keeps the
   profiles holding every word typed (ignoring case and accents), hides groups
   left empty and announces the count. */
(function () {
  "use strict";
  var box = document.querySelector("[data-filter]");
  if (!box || !"".normalize) return;
  var input = box.querySelector("input");
  var status = box.querySelector("[aria-live]");
  var all = function (sel, root) {
    return [].slice.call((root || document).querySelectorAll(sel));
  };
  var fold = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  var items = all("[data-filter-item]");
  var texts = items.map(function (el) { return fold(el.textContent); });
  // Innermost first: a unit is settled before the heading above it.
  var groups = all("[data-filter-group]").reverse();
  var timer;
  box.hidden = false;

  function say(n) {
    var key = n === 0 ? "none" : n === 1 ? "one" : "other";
    status.textContent = box.getAttribute("data-" + key).replace("{n}", n);
  }

  function run() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var count = 0;
    items.forEach(function (el, i) {
      var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      el.hidden = !hit;
      if (hit) count++;
    });
    groups.forEach(function (group) {
      var shown = !!group.querySelector("[data-filter-item]:not([hidden])");
      group.hidden = !shown;
      // A unit's own card stays above its matching officers.
      if (shown) all("[data-filter-head]", group).forEach(function (h) { h.hidden = false; });
    });
    clearTimeout(timer);
    status.textContent = "";
    if (words.length) timer = setTimeout(say, 500, count);
  }

  input.addEventListener("input", run);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && input.value) {
      input.value = "";
      run();
    }
  });
  if (input.value) run();
})();
