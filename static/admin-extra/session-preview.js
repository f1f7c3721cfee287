/*
 * Session change page, two conveniences for organisers:
 * - as a recording or slide deck URL is pasted, say under the field which video or deck it
 *   names, or that it is not recognised;
 * - a row added with "Add another" gets the next free position.
 * The server validates and normalises every URL on save; these hints only save a round trip.
 */
"use strict";

(function () {
    const URL_INPUT = /^(recordings|slide_decks)-\d+-url$/;
    const YOUTUBE_HOSTS = [
        "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
        "youtube-nocookie.com", "www.youtube-nocookie.com",
    ];
    const YOUTUBE_PREFIXES = ["embed", "shorts", "live", "v", "e"];
    const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
    const SLIDESHARE_HOST = /^(?:(?:www|[a-z]{2})\.)?slideshare\.net$/;

    // The URL in an <iframe> snippet, or the pasted text itself. DOMParser runs no scripts.
    function extractSrc(text) {
        text = text.trim();
        if (!text.startsWith("<")) {
            return text;
        }
        const iframe = new DOMParser().parseFromString(text, "text/html").querySelector("iframe");
        return iframe ? iframe.getAttribute("src") || "" : "";
    }

    function parseUrl(text) {
        if (text.startsWith("//")) {
            text = "https:" + text;
        } else if (!text.includes("://")) {
            text = "https://" + text;
        }
        try {
            const url = new URL(text);
            return ["http:", "https:"].includes(url.protocol) ? url : null;
        } catch {
            return null;
        }
    }

    function youtubeId(url) {
        const segments = url.pathname.split("/").filter(Boolean);
        let id = null;
        if (url.hostname === "youtu.be") {
            id = segments[0];
        } else if (YOUTUBE_HOSTS.includes(url.hostname)) {
            if (segments.length === 0 || segments[0] === "watch") {
                id = url.searchParams.get("v");
            } else if (YOUTUBE_PREFIXES.includes(segments[0])) {
                id = segments[1];
            }
        }
        return id && YOUTUBE_ID.test(id) ? id : null;
    }

    function slideshareKey(url) {
        if (!SLIDESHARE_HOST.test(url.hostname)) {
            return null;
        }
        const segments = url.pathname.split("/").filter(Boolean);
        if (segments[0] === "slideshow") {
            return segments[segments.length - 1];
        }
        return segments.length === 2 ? segments.join("/") : null;
    }

    // What the pasted value names ("YouTube video <id>"), or null.
    function describe(value, provider) {
        const url = parseUrl(extractSrc(value));
        if (!url) {
            return null;
        }
        if (provider === "YouTube") {
            const id = youtubeId(url);
            return id ? "YouTube video " + id : null;
        }
        const key = slideshareKey(url);
        return key ? "SlideShare deck " + key : null;
    }

    function showHint(input) {
        let hint = input.parentElement.querySelector(".paste-hint");
        if (!hint) {
            hint = document.createElement("div");
            hint.className = "help paste-hint";
            hint.setAttribute("aria-live", "polite");
            input.after(hint);
        }
        if (!input.value.trim()) {
            hint.textContent = "";
            return;
        }
        const provider = input.name.startsWith("recordings-") ? "YouTube" : "SlideShare";
        const recognised = describe(input.value, provider);
        hint.textContent = recognised
            ? "Recognised: " + recognised
            : "Not recognised: paste a " + provider + " link or its <iframe> embed code.";
        hint.classList.toggle("paste-hint--unrecognised", !recognised);
    }

    function numberNewRow(event) {
        const position = event.target.querySelector("input[name$='-position']");
        if (!position) {
            return;
        }
        const rowPositions = document.querySelectorAll(
            "input[name^='" + event.detail.formsetName + "-'][name$='-position']"
        );
        const taken = Array.from(rowPositions)
            .filter((input) => input !== position && /-\d+-position$/.test(input.name))
            .map((input) => Number.parseInt(input.value, 10))
            .filter(Number.isInteger);
        position.value = taken.length ? Math.max(...taken) + 1 : 0;
    }

    document.addEventListener("input", (event) => {
        if (URL_INPUT.test(event.target.name || "")) {
            showHint(event.target);
        }
    });
    document.addEventListener("formset:added", numberNewRow);
})();
