/* Relative times: "2 hours ago", "il y a 2 heures".
   Pages show each <time datetime data-ago> as an absolute date and time: the
   build knows no "now", so a page is the same whenever it is built. Where this
   script runs, the element says how long ago that was, in the language of the
   text around it, and the absolute text moves beside it. Updated every minute.
   Without the script, or without Intl.RelativeTimeFormat, nothing changes. */
(function () {
  "use strict";
  var times = document.querySelectorAll("time[data-ago]");
  if (!times.length || !window.Intl || !Intl.RelativeTimeFormat) return;
  // The largest unit of which there is at least one: "1 week ago", not "9 days ago".
  var UNITS = [
    ["year", 31536000], ["month", 2592000], ["week", 604800],
    ["day", 86400], ["hour", 3600], ["minute", 60]
  ];
  var formats = {};

  function format(lang, numeric) {
    var key = lang + " " + numeric;
    if (!formats[key]) formats[key] = new Intl.RelativeTimeFormat(lang, { numeric: numeric });
    return formats[key];
  }

  function relative(lang, seconds) {
    var span = Math.abs(seconds);
    for (var i = 0; i < UNITS.length; i++) {
      if (span >= UNITS[i][1]) {
        return format(lang, "always").format(-Math.round(span / UNITS[i][1]), UNITS[i][0]);
      }
    }
    return format(lang, "auto").format(0, "second"); // "now", "maintenant"
  }

  function update() {
    var now = Date.now();
    for (var i = 0; i < times.length; i++) {
      var time = times[i];
      var when = Date.parse(time.getAttribute("datetime"));
      if (isNaN(when)) continue;
      if (!("absolute" in time.dataset)) {
        time.dataset.absolute = time.textContent;
        var beside = document.createElement("span");
        var dot = document.createElement("span");
        beside.className = "when-absolute";
        dot.setAttribute("aria-hidden", "true");
        dot.textContent = " · ";
        beside.append(dot, time.textContent);
        time.after(beside);
      }
      var lang = (time.closest("[lang]") || document.documentElement).lang || "en";
      // A clock behind the post's: "now", never "in 3 minutes".
      time.textContent = relative(lang, Math.max(0, (now - when) / 1000));
    }
  }

  update();
  setInterval(update, 60000);
})();
