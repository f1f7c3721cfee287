/* Conference Roundups: the public site's one script. Progressive enhancement only: without it
   every poster is a link to the recording's or deck's own page, and every filter a link.

   1. Click-to-load embeds. A poster ([data-embed-src]) becomes a button; activating it swaps in
      the provider's player. Until then the page asks nothing of any other host. The player's
      URL is written by our templates from the normalised provider and key; it is loaded only if
      it is https and on one of the provider's player hosts, which the poster lists in
      data-embed-hosts from the provider table (defence in depth). A video file's poster
      (data-embed-player="video") becomes our own <video controls> instead, with a <source> per
      format it lists in data-embed-sources ("type url" pairs), each checked the same way.
   2. The event page's programme: filters by kind and topic without a reload, a search box,
      a live count, and a table of contents folded on phones. */
(function () {
  "use strict";

  function each(selector, callback, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), callback);
  }

  /* ---------- 1. Click-to-load embeds ---------- */

  function allowedHosts(poster) {
    return (poster.getAttribute("data-embed-hosts") || "").split(/\s+/).filter(Boolean);
  }

  /* The address as an absolute URL if this poster may load it, else null. */
  function allowedUrl(poster, address) {
    var url;
    try {
      url = new URL(address, window.location.href);
    } catch (error) {
      return null;
    }
    if (url.username || url.password) {
      return null;
    }
    var onAllowedHost = allowedHosts(poster).indexOf(url.hostname) !== -1;
    return url.protocol === "https:" && !url.port && onAllowedHost ? url.href : null;
  }

  /* The player URL of a poster, or null when it is not one we are willing to load. */
  function playerUrl(poster) {
    return allowedUrl(poster, poster.getAttribute("data-embed-src"));
  }

  /* A video file's <source> elements: the listed formats on allowed hosts, in order. */
  function videoSources(poster) {
    var words = (poster.getAttribute("data-embed-sources") || "").split(/\s+/).filter(Boolean);
    var sources = [];
    for (var index = 0; index + 1 < words.length; index += 2) {
      var src = allowedUrl(poster, words[index + 1]);
      if (src) {
        var source = document.createElement("source");
        source.setAttribute("src", src);
        source.setAttribute("type", words[index]);
        sources.push(source);
      }
    }
    return sources;
  }

  /* Our own player for a video file; nothing is fetched before this runs. */
  function loadVideo(poster) {
    var sources = videoSources(poster);
    if (!sources.length) {
      return false;
    }
    var video = document.createElement("video");
    video.setAttribute("controls", "");
    video.setAttribute("preload", "none");
    video.setAttribute("playsinline", "");
    video.setAttribute("aria-label", poster.getAttribute("data-embed-title"));
    sources.forEach(function (source) {
      video.appendChild(source);
    });
    poster.replaceWith(video);
    video.focus();
    // The visitor asked to play: start it (a browser that refuses just shows the controls).
    var playing = video.play();
    if (playing && playing.catch) {
      playing.catch(function () {});
    }
    return true;
  }

  function loadPlayer(poster) {
    if (poster.getAttribute("data-embed-player") === "video") {
      return loadVideo(poster);
    }
    var src = playerUrl(poster);
    if (!src) {
      return false;
    }
    var iframe = document.createElement("iframe");
    iframe.setAttribute("title", poster.getAttribute("data-embed-title"));
    iframe.setAttribute("allow", poster.getAttribute("data-embed-allow") || "");
    iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    iframe.setAttribute("loading", "lazy");
    iframe.setAttribute("src", src);
    poster.replaceWith(iframe);
    iframe.focus();
    return true;
  }

  each("[data-embed-src]", function (poster) {
    if (playerUrl(poster)) {
      poster.setAttribute("role", "button"); // else it stays a link to the item's own page
    }
  });

  // One listener for every poster (an event page holds dozens), not two per poster.
  function activePoster(event) {
    return event.target.closest ? event.target.closest('[data-embed-src][role="button"]') : null;
  }

  document.addEventListener("click", function (event) {
    var poster = activePoster(event);
    if (poster && loadPlayer(poster)) {
      event.preventDefault();
    }
  });
  // Links answer Enter; a button also answers Space (without scrolling the page).
  document.addEventListener("keydown", function (event) {
    var poster = activePoster(event);
    if (poster && (event.key === " " || event.key === "Spacebar")) {
      event.preventDefault();
      loadPlayer(poster);
    }
  });

  /* ---------- 2. The event page's programme ---------- */

  var programme = document.querySelector("[data-programme]");
  if (!programme) {
    return;
  }

  var toc = programme.querySelector("[data-toc]");
  if (toc && window.matchMedia("(max-width: 47.99rem)").matches) {
    toc.open = false; // a long list: folded on phones, one tap away
  }

  var cards = Array.prototype.slice.call(programme.querySelectorAll("[data-session]"));
  var days = Array.prototype.slice.call(programme.querySelectorAll("[data-day]"));
  var status = programme.querySelector("[data-filter-status]");
  var search = programme.querySelector("[data-session-filter]");
  var input = search && search.querySelector("input");
  // A page the server already narrowed (?kind=, ?tag=) holds only the matching sessions: its
  // filter links stay links, and reload the page.
  var interactive = !programme.hasAttribute("data-filtered");
  var state = { kind: "", tag: "" };

  function normalise(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  // The text the search box looks in, gathered at its first word (not while the page loads).
  var searchable = null;

  function searchableText(card) {
    // A card's header, description and topics; a big event's one-line row is all header.
    var header = card.querySelector("header") || card;
    var description = card.querySelector(".session-card__description");
    var tags = card.querySelector(".session-card__tags");
    return normalise(
      [header, description, tags]
        .map(function (part) {
          return part ? part.textContent : "";
        })
        .join(" ")
    );
  }

  function matches(card, index, words) {
    if (state.kind && card.getAttribute("data-kind") !== state.kind) {
      return false;
    }
    if (state.tag && (card.getAttribute("data-tags") || "").split(" ").indexOf(state.tag) === -1) {
      return false;
    }
    if (words.length && !searchable) {
      searchable = cards.map(searchableText);
    }
    return words.every(function (word) {
      return searchable[index].indexOf(word) !== -1;
    });
  }

  function apply() {
    var words = input ? normalise(input.value).split(/\s+/).filter(Boolean) : [];
    var shown = 0;
    cards.forEach(function (card, index) {
      var visible = matches(card, index, words);
      card.hidden = !visible;
      shown += visible ? 1 : 0;
      var entry = programme.querySelector('[data-toc-session="' + card.id + '"]');
      if (entry) {
        entry.hidden = !visible;
      }
    });
    days.forEach(function (day) {
      day.hidden = !day.querySelector("[data-session]:not([hidden])");
      var entry = programme.querySelector('[data-toc-day="' + day.id + '"]');
      if (entry) {
        entry.hidden = day.hidden;
      }
    });
    if (!words.length && !state.kind && !state.tag) {
      status.textContent = "";
    } else if (shown === 0) {
      status.textContent = "No session matches.";
    } else {
      status.textContent =
        shown + " of " + cards.length + (cards.length === 1 ? " session" : " sessions") + " shown.";
    }
  }

  function choose(chip) {
    var group = chip.getAttribute("data-filter");
    state[group] = chip.getAttribute("data-value");
    each('[data-filter="' + group + '"]', function (other) {
      if (other === chip) {
        other.setAttribute("aria-current", "true");
      } else {
        other.removeAttribute("aria-current");
      }
    });
    apply();
    // Keep the address shareable: the server answers the same ?kind=&tag= with the same list.
    var url = new URL(window.location.href);
    ["kind", "tag"].forEach(function (name) {
      if (state[name]) {
        url.searchParams.set(name, state[name]);
      } else {
        url.searchParams.delete(name);
      }
    });
    url.hash = "";
    window.history.replaceState(null, "", url.href);
  }

  if (interactive) {
    programme.addEventListener("click", function (event) {
      var chip = event.target.closest("[data-filter]");
      if (chip) {
        event.preventDefault();
        choose(chip);
      }
    });
  }

  if (search && interactive) {
    search.hidden = false;
    input.addEventListener("input", apply);
  }
})();
