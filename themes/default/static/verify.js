/* "Is this account ours?": shows the check (hidden without JavaScript), reduces
   what the visitor pasted to keys and finds the accounts listed on the page
   that have one of them. The rules are the page's data-rules, written from
   hub/registry/spelling.py; keys() takes the same steps as keys() there, in the
   same order (docs/accounts-json.md#keys). Each listed account carries its own
   keys (data-keys), the same as in /accounts.json. */
(function () {
  "use strict";
  var box = document.querySelector("[data-verify]");
  if (!box || !window.JSON || !box.getAttribute("data-rules")) return;
  var rules = JSON.parse(box.getAttribute("data-rules"));
  var form = box.querySelector("form");
  var input = box.querySelector("input");
  var out = box.querySelector("[data-verdict]");
  var items = [].slice.call(document.querySelectorAll("[data-keys]"));
  var compiled = {};

  function search(pattern, text) {
    compiled[pattern] = compiled[pattern] || new RegExp(pattern);
    return compiled[pattern].exec(text);
  }

  function fill(template, match, host) {
    return template.split("$host").join(host || "").replace(/\$([0-9])/g, function (_, n) {
      return match[+n] || "";
    });
  }

  function hostOf(head) {
    var host = head.slice(head.lastIndexOf("@") + 1).split(":")[0].replace(/\.+$/, "");
    var stripped = true;
    while (stripped) {
      stripped = false;
      rules.prefixes.forEach(function (prefix) {
        var rest = host.indexOf(prefix) === 0 ? host.slice(prefix.length) : host;
        if (rest !== host && rest.indexOf(".") >= 0) {
          host = rest;
          stripped = true;
        }
      });
    }
    return Object.prototype.hasOwnProperty.call(rules.aliases, host) ? rules.aliases[host] : host;
  }

  function platformHost(host) {
    return rules.hosts.some(function (known) {
      return host === known || host.slice(-known.length - 1) === "." + known;
    });
  }

  function isAddress(s) {
    if (search(rules.scheme, s)) return true;
    var head = s.split(/[/?#]/)[0];
    return (s.indexOf("/") >= 0 && head.indexOf(".") >= 0) || platformHost(hostOf(head));
  }

  function cut(s, mark) {
    var at = s.indexOf(mark);
    return at < 0 ? [s, ""] : [s.slice(0, at), s.slice(at + 1)];
  }

  function addressKeys(s, ancestors) {
    s = s.replace(new RegExp(rules.scheme), "").split("#")[0];
    var parts = cut(s, "?");
    var query = parts[1];
    parts = cut(parts[0], "/");
    var host = hostOf(parts[0]);
    var path = ("/" + parts[1]).replace(/\/+$/, "");
    var params = {};
    query.split("&").forEach(function (pair) {
      if (pair) {
        var kv = cut(pair, "=");
        params[kv[0]] = kv[1];
      }
    });
    var platformSite = platformHost(host);
    for (var i = 0; i < rules.paths.length; i++) {
      var rule = rules.paths[i];
      if (rule.host !== host && !(rule.host === "*" && !platformSite)) continue;
      var match = search(rule.path, path);
      if (!match) continue;
      if (rule.query) {
        var value = params[rule.query] || "";
        if (search(rule.value, value)) return [rule.platform + ":" + value];
        continue;
      }
      return [rule.platform + ":" + fill(rule.handle, match, host)];
    }
    if (platformSite || !host) return [];
    var found = ["url:" + host + path];
    while (ancestors && path) {
      path = path.slice(0, path.lastIndexOf("/"));
      found.push("url:" + host + path);
    }
    return found;
  }

  function keys(text) {
    var s = text.replace(new RegExp(rules.space, "g"), "").toLowerCase();
    if (!s) return [];
    for (var i = 0; i < rules.bare.length; i++) {
      var match = search(rules.bare[i].pattern, s);
      if (match) return [rules.bare[i].platform + ":" + fill(rules.bare[i].handle, match)];
    }
    if (isAddress(s)) return addressKeys(s, true);
    var bare = s.replace(/^@+/, "");
    if (!search(rules.handle, bare)) return [];
    var found = ["any:" + bare];
    if (search(rules.domain, bare)) found = found.concat(addressKeys(bare, false));
    return found;
  }

  function paragraph(text, className) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function say(kind, text) {
    out.className = "verdict verdict--" + kind;
    out.setAttribute("data-kind", kind);
    out.textContent = "";
    out.appendChild(paragraph(text, "verdict-title"));
  }

  function check() {
    var wanted = keys(input.value);
    // What the pasted text came to, for whoever wants to see why (and the tests).
    out.setAttribute("data-keys", wanted.join(" "));
    if (!wanted.length) {
      say("unknown", box.getAttribute("data-unknown"));
      return;
    }
    var matches = items.filter(function (item) {
      var own = item.getAttribute("data-keys").split(" ");
      return wanted.some(function (key) { return own.indexOf(key) >= 0; });
    });
    if (!matches.length) {
      say("not-ours", box.getAttribute("data-not-ours"));
      var platform = wanted[0].split(":")[0];
      var report = document.querySelector('[data-report-on="' + platform + '"] a');
      var link = document.createElement("a");
      link.href = report ? report.href : "#report";
      link.textContent = report ? report.textContent : box.getAttribute("data-report");
      if (report) link.rel = "noopener";
      var p = document.createElement("p");
      p.appendChild(link);
      out.appendChild(p);
      return;
    }
    var current = matches.filter(function (item) { return !item.hasAttribute("data-former"); });
    if (current.length) {
      say("official", box.getAttribute("data-official"));
    } else {
      var until = matches[0].getAttribute("data-until") || "";
      say("former", box.getAttribute("data-former").replace("{date}", until));
    }
    var list = document.createElement("ul");
    list.className = "verify-list";
    matches.forEach(function (item) {
      var copy = item.cloneNode(true);
      copy.removeAttribute("data-keys");
      list.appendChild(copy);
    });
    out.appendChild(list);
    if (current.length && wanted[0].indexOf("any:") === 0) {
      out.appendChild(paragraph(box.getAttribute("data-only"), "verdict-note"));
    }
  }

  box.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check();
  });
  // A link may ask for a check: /en/verify/?account=@name
  var asked = /[?&]account=([^&#]*)/.exec(location.search);
  if (asked) {
    try {
      input.value = decodeURIComponent(asked[1].replace(/\+/g, " "));
    } catch (err) {
      input.value = asked[1];
    }
    check();
  }
})();
