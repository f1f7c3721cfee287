/* Conference Roundups: the schedule grid. Progressive enhancement of a list grouped by time
   slot, which is what a phone and a browser without this script show.

   1. Layout. On wide screens each day becomes a CSS grid: rooms are columns, rows are 5-minute
      slots, and each block spans its duration. The server computed rows and spans
      (data-row, data-span); this script only places them (the CSP allows no inline style, and
      CSSOM properties are not inline style).
   2. Filters by day, room, track, kind and topic without a reload; they stay plain links.
   3. Times in the event's zone, or in the visitor's own (Intl, nothing asked of the server):
      every <time datetime> carries its ISO moment with the offset.
   4. While the event runs: a "now" line on today's grid and a "Now & next" list per room,
      from the page's own data, updated every 30 seconds (the cached page stays right). */
(function () {
  "use strict";

  var schedule = document.querySelector("[data-schedule]");
  if (!schedule) {
    return;
  }

  var SLOT_MS = 5 * 60 * 1000;
  var POINT_MS = 15 * 60 * 1000; // how tall the server draws a session without an end
  var ZONE_KEY = "roundup-time-zone";

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  var days = all("[data-schedule-day]", schedule);
  var blocks = all("[data-block]", schedule).map(function (element) {
    var times = all("time", element.querySelector(".block__meta"));
    var starts = Date.parse(times[0].getAttribute("datetime"));
    var ends = times[1] ? Date.parse(times[1].getAttribute("datetime")) : null;
    var room = element.querySelector(".block__room");
    return {
      element: element,
      starts: starts,
      ends: ends,
      drawnEnd: ends || starts + POINT_MS,
      room: element.getAttribute("data-room"),
      roomName: room ? room.textContent.replace(/^\s*·\s*/, "") : "",
      title: element.querySelector(".block__title"),
      tags: (element.getAttribute("data-tags") || "").split(" ").filter(Boolean),
    };
  });
  schedule.classList.add("schedule--enhanced");

  /* ---------- 1. Layout ---------- */

  function layout(day) {
    var grid = day.querySelector("[data-grid]");
    var visible = {};
    all("[data-block]", day).forEach(function (element) {
      if (!element.hidden) {
        visible[element.getAttribute("data-room")] = true;
      }
    });
    var columns = {};
    var count = 0;
    all(".schedule-rooms__room", grid).forEach(function (header) {
      var room = header.getAttribute("data-room");
      header.hidden = !visible[room];
      if (!header.hidden) {
        count += 1;
        columns[room] = count + 1; // column 1 holds the times
        header.style.gridColumn = String(columns[room]);
      }
    });
    grid.style.setProperty("--rooms", String(Math.max(count, 1)));
    grid.style.setProperty("--rows", day.getAttribute("data-rows"));
    all("[data-slot]", grid).forEach(function (slot) {
      var label = slot.querySelector(".slot__time");
      label.style.gridRow = Number(slot.getAttribute("data-row")) + 1 + " / span 1";
    });
    all("[data-block]", grid).forEach(function (element) {
      var row = Number(element.getAttribute("data-row")) + 1; // row 1 holds the rooms
      element.style.gridRow = row + " / span " + element.getAttribute("data-span");
      element.style.gridColumn = String(columns[element.getAttribute("data-room")] || 2);
    });
  }

  /* ---------- 2. Filters ---------- */

  var status = schedule.querySelector("[data-filter-status]");
  // A page the server already narrowed holds only the matching sessions: its links reload.
  var interactive = !schedule.hasAttribute("data-filtered");
  var state = { day: "", room: "", track: "", kind: "", tag: "" };
  var params = new URLSearchParams(window.location.search);
  Object.keys(state).forEach(function (name) {
    state[name] = params.get(name) || "";
  });

  function matches(block) {
    var element = block.element;
    return (
      (!state.room || block.room === state.room) &&
      (!state.track || element.getAttribute("data-track") === state.track) &&
      (!state.kind || element.getAttribute("data-kind") === state.kind) &&
      (!state.tag || block.tags.indexOf(state.tag) !== -1)
    );
  }

  function apply() {
    var shown = 0;
    blocks.forEach(function (block) {
      block.element.hidden = !matches(block);
    });
    all("[data-slot]", schedule).forEach(function (slot) {
      slot.hidden = !slot.querySelector("[data-block]:not([hidden])");
    });
    days.forEach(function (day) {
      var inDay = all("[data-block]:not([hidden])", day).length;
      day.hidden = !inDay || (state.day !== "" && day.getAttribute("data-day") !== state.day);
      shown += day.hidden ? 0 : inDay;
      layout(day);
    });
    var filtered = state.room || state.track || state.kind || state.tag;
    status.textContent = filtered
      ? shown === 0
        ? "No session matches."
        : shown + " of " + blocks.length + " sessions shown."
      : "";
    tick();
  }

  var multiDay = days.length > 1;
  all("[data-filter]", schedule).forEach(function (link) {
    var name = link.getAttribute("data-filter");
    // One day per page (big events): the day links load that day's page.
    if (!interactive || (name === "day" && !multiDay)) {
      return;
    }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      state[name] = link.getAttribute("data-value");
      all('[data-filter="' + name + '"]', schedule).forEach(function (other) {
        if (other === link) {
          other.setAttribute("aria-current", "true");
        } else {
          other.removeAttribute("aria-current");
        }
      });
      var query = new URLSearchParams();
      Object.keys(state).forEach(function (key) {
        if (state[key]) {
          query.set(key, state[key]);
        }
      });
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
      apply();
    });
  });

  /* ---------- 3. Time zones ---------- */

  var eventZone = schedule.getAttribute("data-zone");
  var visitorZone = "";
  try {
    visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    visitorZone = "";
  }

  function formatter(zone, options) {
    options.timeZone = zone;
    return new Intl.DateTimeFormat("en-GB", options);
  }

  var times = all("time[datetime*='T']");
  times.forEach(function (time) {
    time.setAttribute("data-event-label", time.textContent);
  });

  function showZone(choice) {
    var useVisitor = choice === "visitor" && visitorZone;
    var clock = useVisitor ? formatter(visitorZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) : null;
    var visitorDate = useVisitor ? formatter(visitorZone, { year: "numeric", month: "2-digit", day: "2-digit" }) : null;
    var eventDate = formatter(eventZone, { year: "numeric", month: "2-digit", day: "2-digit" });
    var weekday = useVisitor ? formatter(visitorZone, { weekday: "short" }) : null;
    times.forEach(function (time) {
      if (!useVisitor) {
        time.textContent = time.getAttribute("data-event-label");
        return;
      }
      var moment = new Date(time.getAttribute("datetime"));
      var label = clock.format(moment);
      // The visitor's day may differ from the event's: then the weekday says so.
      if (visitorDate.format(moment) !== eventDate.format(moment)) {
        label = weekday.format(moment) + " " + label;
      }
      time.textContent = label;
    });
    all("[data-zone-choice]", schedule).forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-zone-choice") === (useVisitor ? "visitor" : "event") ? "true" : "false");
    });
    all("[data-zone-name]").forEach(function (name) {
      name.textContent = useVisitor ? visitorZone + " (your time)" : eventZone;
    });
  }

  var zoneSwitch = schedule.querySelector("[data-zone-switch]");
  if (zoneSwitch && visitorZone) {
    zoneSwitch.hidden = false;
    zoneSwitch.querySelector("[data-visitor-zone]").textContent = visitorZone;
    all("[data-zone-choice]", zoneSwitch).forEach(function (button) {
      button.addEventListener("click", function () {
        var choice = button.getAttribute("data-zone-choice");
        try {
          window.localStorage.setItem(ZONE_KEY, choice);
        } catch (error) {
          // Not remembered: it still applies to this page.
        }
        showZone(choice);
      });
    });
    var remembered = "";
    try {
      remembered = window.localStorage.getItem(ZONE_KEY) || "";
    } catch (error) {
      remembered = "";
    }
    if (remembered === "visitor") {
      showZone("visitor");
    }
  }

  /* ---------- 4. Now line, Now & next ---------- */

  var nowNext = schedule.querySelector("[data-now-next]");
  var nowNextList = schedule.querySelector("[data-now-next-list]");

  function sessionLink(block) {
    var link = document.createElement("a");
    link.href = block.title.getAttribute("href");
    link.textContent = block.title.textContent;
    return link;
  }

  function clockLabel(moment) {
    var zone = schedule.querySelector('[data-zone-choice="visitor"][aria-pressed="true"]')
      ? visitorZone
      : eventZone;
    return formatter(zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(moment));
  }

  function line(label, block, when) {
    var item = document.createElement("span");
    item.className = "now-next__item";
    var strong = document.createElement("strong");
    strong.textContent = label + " ";
    item.appendChild(strong);
    item.appendChild(sessionLink(block));
    item.appendChild(document.createTextNode(" " + when));
    return item;
  }

  // Only while a day of the page runs: what is on in each room now, and next that day.
  function showNowNext(now, today) {
    var visible = blocks.filter(function (block) {
      return !block.element.hidden && today && today.contains(block.element);
    });
    nowNext.hidden = !visible.length;
    nowNextList.textContent = "";
    if (!visible.length) {
      return;
    }
    // Rooms in the grid's column order.
    var rooms = all(".schedule-rooms__room", today).map(function (header) {
      return header.getAttribute("data-room");
    });
    var byRoom = {};
    visible.forEach(function (block) {
      if (!byRoom[block.room]) {
        byRoom[block.room] = { name: block.roomName, now: null, next: null };
      }
      var entry = byRoom[block.room];
      if (block.starts <= now && now < block.drawnEnd) {
        entry.now = block;
      } else if (block.starts > now && (!entry.next || block.starts < entry.next.starts)) {
        entry.next = block;
      }
    });
    rooms.forEach(function (room) {
      var entry = byRoom[room];
      if (!entry || (!entry.now && !entry.next)) {
        return;
      }
      var item = document.createElement("li");
      item.className = "now-next__room";
      var name = document.createElement("span");
      name.className = "now-next__name";
      name.textContent = entry.name;
      item.appendChild(name);
      if (entry.now) {
        item.appendChild(line("Now", entry.now, entry.now.ends ? "until " + clockLabel(entry.now.ends) : ""));
      }
      if (entry.next) {
        item.appendChild(line("Next", entry.next, "at " + clockLabel(entry.next.starts)));
      }
      nowNextList.appendChild(item);
    });
  }

  function tick() {
    var now = Date.now();
    var running = null;
    days.forEach(function (day) {
      var starts = Date.parse(day.getAttribute("data-starts"));
      var ends = Date.parse(day.getAttribute("data-ends"));
      var marker = day.querySelector("[data-now-line]");
      var today = !day.hidden && now >= starts && now < ends;
      marker.hidden = !today;
      if (today) {
        running = day;
        var rows = (now - starts) / SLOT_MS;
        marker.style.gridRow = Math.floor(rows) + 2 + " / span 1";
        marker.style.setProperty("--fraction", String(rows - Math.floor(rows)));
      }
    });
    blocks.forEach(function (block) {
      block.element.classList.toggle("block--now", block.starts <= now && now < block.drawnEnd);
    });
    showNowNext(now, running);
    // "Today" on the day links, so a big event's visitor finds the running day in one tap.
    all("[data-day-date]", schedule).forEach(function (link) {
      var date = formatter(eventZone, { year: "numeric", month: "2-digit", day: "2-digit" });
      var parts = link.getAttribute("data-day-date").split("-");
      var today = date.format(new Date(now)) === [parts[2], parts[1], parts[0]].join("/");
      link.classList.toggle("chip--today", today);
    });
  }

  apply();
  window.setInterval(tick, 30000);
})();
