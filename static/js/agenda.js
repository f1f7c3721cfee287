/* Conference Roundups: the personal agenda, kept in this browser (localStorage) and nowhere else.

   1. Stars. Every [data-agenda-star] button (schedule blocks, event-page cards, session pages)
      holds a session's guid; pressing it adds the session to, or removes it from, the agenda.
      The buttons are hidden in the markup, so a visitor without this script sees none.
   2. The agenda page ([data-agenda]) lists every timed session of its event, hidden: this
      script shows the starred ones (already in time order), flags those that overlap, and
      writes the calendar subscription link (agenda.ics?s=<guids>) and the share link
      (#s=<guids>). A page opened with #s= shows the shared agenda, with a button to keep it. */
(function () {
  "use strict";

  var KEY = "roundup-agenda"; // one list for every event: guids are unique across events
  var GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  function each(selector, callback, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), callback);
  }

  function validGuids(list) {
    var seen = [];
    list.forEach(function (guid) {
      var value = String(guid).toLowerCase();
      if (GUID.test(value) && seen.indexOf(value) === -1) {
        seen.push(value);
      }
    });
    return seen;
  }

  function readAgenda() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(stored) ? validGuids(stored) : [];
    } catch (error) {
      return []; // storage refused (private mode) or damaged: an empty agenda
    }
  }

  function writeAgenda(list) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(list));
    } catch (error) {
      // Storage refused: the stars still answer for this page view.
    }
  }

  var starred = readAgenda();

  /* ---------- 1. Stars ---------- */

  function showStar(button) {
    var on = starred.indexOf(button.getAttribute("data-agenda-star")) !== -1;
    var label = button.querySelector(".agenda-star__label");
    if (!label) {
      // The markup holds only the guid (a big schedule has a thousand stars): the rest is
      // written here.
      button.className = "agenda-star";
      label = document.createElement("span");
      label.className = "agenda-star__label";
      button.appendChild(label);
    }
    button.setAttribute("aria-pressed", on ? "true" : "false");
    label.textContent = on
      ? "Remove from my agenda"
      : "Add to my agenda";
  }

  function refresh() {
    each("[data-agenda-star]", showStar);
    showAgenda();
  }

  function toggle(guid) {
    starred = readAgenda(); // another tab may have changed it
    var index = starred.indexOf(guid);
    if (index === -1) {
      starred.push(guid);
    } else {
      starred.splice(index, 1);
    }
    writeAgenda(starred);
    refresh();
  }

  each("[data-agenda-star]", function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      toggle(button.getAttribute("data-agenda-star"));
    });
  });

  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      starred = readAgenda();
      refresh();
    }
  });

  /* ---------- 2. The agenda page ---------- */

  var agenda = document.querySelector("[data-agenda]");

  function sharedGuids() {
    var match = /(?:^#|&)s=([^&]*)/.exec(window.location.hash);
    return match ? validGuids(decodeURIComponent(match[1]).split(",")) : null;
  }

  var shared = agenda ? sharedGuids() : null;

  function entryTimes(entry) {
    var times = entry.querySelectorAll(".agenda-entry__when time");
    var starts = Date.parse(times[0].getAttribute("datetime"));
    var ends = times[1] ? Date.parse(times[1].getAttribute("datetime")) : starts;
    return { starts: starts, ends: ends };
  }

  function clashNote(entry) {
    var note = entry.querySelector(".agenda-entry__clash");
    if (!note) {
      note = document.createElement("p");
      note.className = "agenda-entry__clash";
      entry.querySelector(".agenda-entry__title").after(note);
    }
    return note;
  }

  // Two sessions overlap when one starts before the other ends; one without an end is a point
  // in time, overlapping only what it starts inside (the rule of the server's room check).
  function overlaps(a, b) {
    var first = a.starts <= b.starts ? a : b;
    var second = first === a ? b : a;
    return second.starts < first.ends || a.starts === b.starts;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function showAgenda() {
    if (!agenda) {
      return;
    }
    var chosen = shared || starred;
    var entries = [];
    each("[data-agenda-entry]", function (entry) {
      entry.hidden = chosen.indexOf(entry.getAttribute("data-agenda-entry")) === -1;
      if (!entry.hidden) {
        entries.push({ element: entry, times: entryTimes(entry) });
      }
    }, agenda);
    var clashing = 0;
    entries.forEach(function (entry) {
      var others = entries.filter(function (other) {
        return other !== entry && overlaps(entry.times, other.times);
      });
      var note = clashNote(entry.element);
      entry.element.classList.toggle("agenda-entry--clash", others.length > 0);
      note.hidden = !others.length;
      note.textContent = others.length
        ? "Overlaps with " +
          others
            .map(function (other) {
              var title = other.element.querySelector(".agenda-entry__title").textContent;
              return "\u201c" + title + "\u201d";
            })
            .join(", ")
        : "";
      clashing += others.length ? 1 : 0;
    });

    agenda.querySelector("[data-agenda-empty]").hidden = entries.length > 0;
    var status = agenda.querySelector("[data-agenda-status]");
    status.textContent = entries.length
      ? plural(entries.length, "session") + (clashing ? ", " + clashing + " overlapping." : ".")
      : "";

    var sharedBox = agenda.querySelector("[data-agenda-shared]");
    sharedBox.hidden = !shared;
    if (shared) {
      agenda.querySelector("[data-agenda-shared-count]").textContent = plural(
        entries.length,
        "session"
      );
    }

    var guids = entries.map(function (entry) {
      return entry.element.getAttribute("data-agenda-entry");
    });
    var links = agenda.querySelector("[data-agenda-links]");
    links.hidden = !guids.length;
    var calendar = new URL(agenda.getAttribute("data-ical"), window.location.href);
    calendar.search = "?s=" + guids.join(",");
    agenda.querySelector("[data-agenda-download]").href = calendar.href;
    // webcal:// opens the visitor's calendar app, which then keeps the calendar up to date.
    agenda.querySelector("[data-agenda-subscribe]").href = calendar.href.replace(/^https?:/, "webcal:");
    var share = new URL(window.location.pathname, window.location.href);
    share.hash = "s=" + guids.join(",");
    agenda.querySelector("[data-agenda-share]").value = share.href;
  }

  if (agenda) {
    agenda.querySelector("[data-agenda-needs-script]").hidden = true;
    agenda.querySelector("[data-agenda-keep]").addEventListener("click", function () {
      starred = validGuids(readAgenda().concat(shared || []));
      writeAgenda(starred);
      shared = null;
      window.history.replaceState(null, "", window.location.pathname);
      refresh();
    });
    window.addEventListener("hashchange", function () {
      shared = sharedGuids();
      refresh();
    });
  }

  refresh();
})();
