/* Event page: filter the session cards by a few words typed by the visitor.
   Progressive enhancement: without this script every session is shown and the filter box stays
   hidden. */
(function () {
  "use strict";

  var filter = document.querySelector("[data-session-filter]");
  if (!filter) {
    return;
  }
  var input = filter.querySelector("input");
  var status = filter.querySelector("[role=status]");
  var days = Array.prototype.slice.call(document.querySelectorAll("[data-day]"));
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-session]"));
  var searchable = cards.map(function (card) {
    var header = card.querySelector("header");
    var description = card.querySelector(".session-card__description");
    return normalise(
      (header ? header.textContent : "") + " " + (description ? description.textContent : "")
    );
  });

  function normalise(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function apply() {
    var words = normalise(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card, index) {
      var matches = words.every(function (word) {
        return searchable[index].indexOf(word) !== -1;
      });
      card.hidden = !matches;
      shown += matches ? 1 : 0;
    });
    days.forEach(function (day) {
      day.hidden = !day.querySelector("[data-session]:not([hidden])");
    });
    if (!words.length) {
      status.textContent = "";
    } else if (shown === 0) {
      status.textContent = "No session matches “" + input.value.trim() + "”.";
    } else {
      status.textContent = shown + (shown === 1 ? " session matches." : " sessions match.");
    }
  }

  filter.hidden = false;
  input.addEventListener("input", apply);
})();
