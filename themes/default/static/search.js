/* Site search: Pagefind's index (/pagefind/, built with the site) through its
   JavaScript API, shown in the page's own markup. Without JavaScript, or if the
   index cannot be loaded, the page keeps saying so and links to the directory.
   Pagefind picks the index of the page's language from <html lang>. Excerpts
   come from the site's own pages; they are rebuilt here as text and <mark>
   elements only, never inserted as HTML. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  var off = document.querySelector("[data-search-off]");
  if (!box || !window.Promise || !window.DOMParser) return;
  var form = box.querySelector("form");
  var input = box.querySelector("input");
  var status = box.querySelector("[data-status]");
  var list = box.querySelector("[data-results]");
  var SHOWN = 20;
  var pagefind = null;
  var asked = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(box.getAttribute("data-index") + "pagefind.js").then(function (api) {
        return api.options({ noWorker: true, excerptLength: 24 }).then(function () {
          return api.init();
        }).then(function () {
          return api;
        });
      });
    }
    return pagefind;
  }

  function message(count) {
    if (count === 0) return box.getAttribute("data-none");
    if (count === 1) return box.getAttribute("data-one");
    if (count > SHOWN) {
      return box.getAttribute("data-more").replace("{n}", count).replace("{shown}", SHOWN);
    }
    return box.getAttribute("data-other").replace("{n}", count);
  }

  // Pagefind's excerpt is HTML: only its text and its <mark>s are kept.
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "result-excerpt";
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    [].forEach.call(parsed.body.firstChild.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function result(data) {
    var item = document.createElement("li");
    item.className = "result";
    var heading = document.createElement("h2");
    heading.className = "result-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    item.appendChild(excerpt(data.excerpt || ""));
    return item;
  }

  function fail() {
    box.hidden = true;
    if (off) off.hidden = false;
  }

  function run() {
    var query = input.value.trim();
    var mine = ++asked;
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    load().then(function (api) {
      return api.search(query);
    }).then(function (found) {
      if (mine !== asked) return null;
      return Promise.all(found.results.slice(0, SHOWN).map(function (r) {
        return r.data();
      })).then(function (pages) {
        if (mine !== asked) return;
        list.textContent = "";
        pages.forEach(function (data) {
          list.appendChild(result(data));
        });
        status.textContent = message(found.results.length);
      });
    }).catch(fail);
  }

  var timer;
  box.hidden = false;
  if (off) off.hidden = true;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  // A link may carry a search: /en/search/?q=words
  var given = /[?&]q=([^&#]*)/.exec(location.search);
  if (given) {
    try {
      input.value = decodeURIComponent(given[1].replace(/\+/g, " "));
    } catch (err) {
      input.value = given[1];
    }
    run();
  }
})();
