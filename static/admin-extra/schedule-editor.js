/*
 * The admin schedule editor (templates/admin/talks/schedule.html, sessions/admin_schedule.py).
 *
 * The page carries every session, room and track of the event once, in the `schedule-data`
 * JSON block; this script draws one day and one page of rooms from it (a 1,000-session,
 * 100-room event stays light), with time running down and each session a block as long as
 * its duration. A block moves by drag and drop (snapping to the page's `snapMinutes`) or, as
 * it is a button, by the keyboard form it opens. Each move is posted to the server, which
 * validates it with the session's own rules: the block is drawn at its new place at once,
 * and put back with the server's reason when the move is refused.
 *
 * Times are wall-clock strings in the event's zone ("2024-11-23T10:00"), as the server sends
 * and reads them: no conversion happens here, so the browser's own zone never matters.
 */
"use strict";

(function () {
    const root = document.querySelector("[data-schedule-editor]");
    const dataElement = document.getElementById("schedule-data");
    if (!root || !dataElement) {
        return;
    }
    const data = JSON.parse(dataElement.textContent);

    const PIXELS_PER_MINUTE = 2;
    const DEFAULT_DAY = [9 * 60, 18 * 60]; // the hours always drawn, with room to drop into
    const NO_DURATION_HEIGHT = 15; // minutes drawn for a session without a length
    const SNAP = data.snapMinutes;

    const sessions = new Map(data.sessions.map((session) => [session.id, session]));
    const rooms = new Map(data.rooms.map((room) => [room.id, room]));
    const tracks = new Map(data.tracks.map((track) => [track.id, track]));
    const ui = {
        day: firstBusyDay(),
        roomFilter: "",
        pageSize: 8,
        pageStart: 0,
        unscheduledFilter: "",
    };

    const grid = root.querySelector("[data-schedule-grid]");
    const status = root.querySelector("[data-schedule-status]");
    const dayButtons = root.querySelector("[data-schedule-days]");
    const roomFilter = root.querySelector("[data-schedule-room-filter]");
    const pageSize = root.querySelector("[data-schedule-page-size]");
    const previousRooms = root.querySelector("[data-schedule-previous-rooms]");
    const nextRooms = root.querySelector("[data-schedule-next-rooms]");
    const roomRange = root.querySelector("[data-schedule-room-range]");
    const unscheduled = root.querySelector("[data-schedule-unscheduled]");
    const unscheduledList = root.querySelector("[data-schedule-unscheduled-list]");
    const unscheduledCount = root.querySelector("[data-schedule-unscheduled-count]");
    const unscheduledFilter = root.querySelector("[data-schedule-unscheduled-filter]");
    const dialog = root.querySelector("[data-schedule-dialog]");
    const moveForm = root.querySelector("[data-schedule-move-form]");
    const csrfToken = moveForm.querySelector("input[name=csrfmiddlewaretoken]").value;

    // ---------- Times: "YYYY-MM-DDTHH:MM" strings, and minutes since a day's midnight ----------

    function dateOf(start) {
        return start.slice(0, 10);
    }

    function minuteOfDay(start) {
        return Number(start.slice(11, 13)) * 60 + Number(start.slice(14, 16));
    }

    function pad(number) {
        return String(number).padStart(2, "0");
    }

    // The wall-clock string `minutes` after midnight of `date` (past midnight: the next days).
    function startAt(date, minutes) {
        const [year, month, day] = date.split("-").map(Number);
        const moment = new Date(Date.UTC(year, month - 1, day, 0, minutes));
        return (
            `${moment.getUTCFullYear()}-${pad(moment.getUTCMonth() + 1)}-${pad(moment.getUTCDate())}` +
            `T${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())}`
        );
    }

    function clock(minutes) {
        return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
    }

    function timeLabel(session) {
        const start = minuteOfDay(session.start);
        return session.duration ? `${clock(start)}–${clock((start + session.duration) % 1440)}` : clock(start);
    }

    function snap(minutes) {
        return Math.max(0, Math.round(minutes / SNAP) * SNAP);
    }

    function isPlaced(session) {
        return Boolean(session.start && session.room && rooms.has(session.room));
    }

    function firstBusyDay() {
        const busy = data.days.findIndex((day) =>
            data.sessions.some((session) => isPlacedOn(session, day.date))
        );
        return Math.max(busy, 0);
    }

    function isPlacedOn(session, date) {
        return Boolean(session.start && session.room) && dateOf(session.start) === date;
    }

    // ---------- Drawing ----------

    function element(tag, className, text) {
        const node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function render() {
        renderDays();
        renderGrid();
        renderUnscheduled();
    }

    function renderDays() {
        dayButtons.replaceChildren(
            ...data.days.map((day, index) => {
                const button = element("button", "button schedule-editor__day", day.label);
                button.type = "button";
                button.setAttribute("aria-pressed", String(index === ui.day));
                button.addEventListener("click", () => {
                    ui.day = index;
                    render();
                });
                return button;
            })
        );
    }

    function visibleRooms() {
        const needle = ui.roomFilter.trim().toLowerCase();
        const matching = data.rooms.filter((room) => room.name.toLowerCase().includes(needle));
        ui.pageStart = Math.min(ui.pageStart, Math.max(0, matching.length - 1));
        ui.pageStart -= ui.pageStart % ui.pageSize;
        const shown = matching.slice(ui.pageStart, ui.pageStart + ui.pageSize);
        previousRooms.disabled = ui.pageStart === 0;
        nextRooms.disabled = ui.pageStart + ui.pageSize >= matching.length;
        roomRange.textContent = matching.length
            ? `${ui.pageStart + 1}–${ui.pageStart + shown.length} of ${matching.length}`
            : "none";
        return shown;
    }

    function dayBounds(daySessions) {
        if (!daySessions.length) {
            return DEFAULT_DAY;
        }
        const starts = daySessions.map((session) => minuteOfDay(session.start));
        const ends = daySessions.map(
            (session) => minuteOfDay(session.start) + (session.duration || NO_DURATION_HEIGHT)
        );
        const first = Math.floor(Math.min(...starts) / 60) * 60;
        const last = Math.ceil(Math.max(...ends) / 60) * 60;
        return [Math.min(first, DEFAULT_DAY[0]), Math.max(last, DEFAULT_DAY[1])];
    }

    function renderGrid() {
        const shownRooms = visibleRooms();
        const day = data.days[ui.day];
        if (!data.rooms.length || !day) {
            grid.replaceChildren(
                element(
                    "p",
                    "schedule-editor__empty",
                    data.rooms.length
                        ? "This event has no dates yet: give it a start date on its form."
                        : "This event has no rooms yet: add them on the event’s form."
                )
            );
            return;
        }
        const daySessions = data.sessions.filter((session) => isPlacedOn(session, day.date));
        const [first, last] = dayBounds(daySessions);
        const table = element("div", "schedule-grid");
        table.style.gridTemplateColumns = `4.5rem repeat(${shownRooms.length}, minmax(11rem, 1fr))`;
        table.style.setProperty("--hour-height", `${60 * PIXELS_PER_MINUTE}px`);
        table.setAttribute("aria-label", `Schedule of ${day.label}`);

        table.append(element("div", "schedule-grid__corner", "Time"));
        for (const room of shownRooms) {
            const heading = element("div", "schedule-grid__room", room.name);
            heading.title = room.name;
            table.append(heading);
        }
        const axis = element("div", "schedule-grid__axis");
        axis.style.height = `${(last - first) * PIXELS_PER_MINUTE}px`;
        for (let minute = first; minute < last; minute += 60) {
            const label = element("span", "schedule-grid__hour", clock(minute % 1440));
            label.style.top = `${(minute - first) * PIXELS_PER_MINUTE}px`;
            axis.append(label);
        }
        table.append(axis);
        for (const room of shownRooms) {
            table.append(
                renderColumn(
                    room,
                    day,
                    first,
                    last,
                    daySessions.filter((session) => session.room === room.id)
                )
            );
        }
        grid.replaceChildren(table);
    }

    function renderColumn(room, day, first, last, columnSessions) {
        const column = element("div", "schedule-grid__column");
        column.dataset.room = room.id;
        column.dataset.date = day.date;
        column.dataset.first = first;
        column.setAttribute("role", "group");
        column.setAttribute("aria-label", `${room.name}, ${day.label}`);
        column.style.height = `${(last - first) * PIXELS_PER_MINUTE}px`;
        const lanes = laneLayout(columnSessions);
        for (const session of columnSessions) {
            const block = renderBlock(session);
            const start = minuteOfDay(session.start);
            const { lane, count } = lanes.get(session.id);
            block.style.top = `${(start - first) * PIXELS_PER_MINUTE}px`;
            block.style.height = `${(session.duration || NO_DURATION_HEIGHT) * PIXELS_PER_MINUTE}px`;
            block.style.left = `${(lane / count) * 100}%`;
            block.style.width = `${100 / count}%`;
            column.append(block);
        }
        const marker = element("div", "schedule-grid__drop-marker");
        marker.hidden = true;
        column.append(marker);
        return column;
    }

    // Sessions that overlap in one room (a clash to resolve) share the column side by side.
    function laneLayout(columnSessions) {
        const layout = new Map();
        const ordered = [...columnSessions].sort((a, b) => a.start.localeCompare(b.start));
        let cluster = [];
        let clusterEnd = -1;
        const close = () => {
            const count = Math.max(...cluster.map((item) => item.lane)) + 1;
            for (const item of cluster) {
                layout.set(item.id, { lane: item.lane, count });
            }
        };
        for (const session of ordered) {
            const start = minuteOfDay(session.start);
            const end = start + (session.duration || NO_DURATION_HEIGHT);
            if (cluster.length && start >= clusterEnd) {
                close();
                cluster = [];
            }
            const lanesEnds = [];
            for (const item of cluster) {
                lanesEnds[item.lane] = Math.max(lanesEnds[item.lane] ?? 0, item.end);
            }
            let lane = lanesEnds.findIndex((laneEnd) => laneEnd !== undefined && laneEnd <= start);
            lane = lane === -1 ? lanesEnds.length : lane;
            cluster.push({ id: session.id, lane, end });
            clusterEnd = Math.max(clusterEnd, end);
        }
        if (cluster.length) {
            close();
        }
        return layout;
    }

    function renderBlock(session, { compact = false } = {}) {
        const block = element("button", "schedule-block");
        block.type = "button";
        block.draggable = true;
        block.dataset.session = session.id;
        const track = tracks.get(session.track);
        if (track) {
            block.style.backgroundColor = track.colour;
            block.style.color = track.text;
            block.classList.add("schedule-block--track");
        }
        if (!session.published) {
            block.classList.add("schedule-block--draft");
        }
        if (session.clashes.length) {
            block.classList.add("schedule-block--clash");
            block.title = session.clashes.join("\n");
        }
        if ((session.start && !compact) || session.clashes.length) {
            const top = element("span", "schedule-block__top");
            if (session.start && !compact) {
                top.append(element("span", "schedule-block__time", timeLabel(session)));
            }
            if (session.clashes.length) {
                top.append(element("span", "schedule-block__clash", "⚠ clash"));
            }
            block.append(top);
        }
        block.append(element("span", "schedule-block__title", session.title));
        const details = [
            session.speakers.join(", "),
            track ? track.name : "",
            session.published ? "" : "draft",
        ].filter(Boolean);
        if (details.length) {
            block.append(element("span", "schedule-block__details", details.join(" · ")));
        }
        if (session.clashes.length) {
            block.append(element("span", "visually-hidden", `Clashes: ${session.clashes.join(" ")}`));
        }
        return block;
    }

    function renderUnscheduled() {
        const needle = ui.unscheduledFilter.trim().toLowerCase();
        const waiting = data.sessions.filter((session) => !isPlaced(session));
        unscheduledCount.textContent = `(${waiting.length})`;
        const items = waiting
            .filter((session) => session.title.toLowerCase().includes(needle))
            .map((session) => {
                const item = element("li");
                item.append(renderBlock(session, { compact: true }));
                return item;
            });
        if (!waiting.length) {
            items.push(element("li", "schedule-editor__unscheduled-empty", "Every session is on the grid."));
        }
        unscheduledList.replaceChildren(...items);
    }

    function focusBlock(id) {
        const block = root.querySelector(`.schedule-block[data-session="${id}"]`);
        if (block) {
            block.focus();
        }
    }

    function say(message, { error = false } = {}) {
        status.textContent = message;
        status.classList.toggle("schedule-editor__status--error", error);
    }

    // ---------- Moving ----------

    // Post a move; draw it at once, and put the session back if the server refuses it.
    // Resolves to the server's error message, or null when the move is saved.
    async function move(id, fields) {
        const before = sessions.get(id);
        const body = new FormData();
        body.append("session", id);
        if (fields.unschedule) {
            body.append("unschedule", "on");
            replaceSession({ ...before, start: null, room: null });
        } else {
            body.append("room", fields.room);
            body.append("starts_at", fields.start);
            body.append("duration", fields.duration ?? "");
            replaceSession({ ...before, room: fields.room, start: fields.start, duration: fields.duration });
        }
        render();
        say(`Saving “${before.title}”…`);
        let answer;
        try {
            const response = await fetch(data.moveUrl, {
                method: "POST",
                body,
                headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
                credentials: "same-origin",
            });
            answer = await response.json().catch(() => ({ error: `The server answered ${response.status}.` }));
        } catch {
            answer = { error: "The server could not be reached: nothing was saved." };
        }
        if (!answer.ok) {
            replaceSession(before);
            render();
            say(`“${before.title}” was not moved: ${answer.error}`, { error: true });
            return answer.error || "Refused.";
        }
        replaceSession(answer.session);
        for (const session of sessions.values()) {
            replaceSession({ ...session, clashes: answer.clashes[session.id] || [] });
        }
        followToDay(answer.session);
        render();
        say(`“${answer.session.title}”: ${answer.message}`);
        return null;
    }

    function replaceSession(session) {
        sessions.set(session.id, session);
        const index = data.sessions.findIndex((item) => item.id === session.id);
        data.sessions[index] = session;
    }

    // A session moved with the form to another day is shown there.
    function followToDay(session) {
        if (!session.start) {
            return;
        }
        const index = data.days.findIndex((day) => day.date === dateOf(session.start));
        if (index !== -1) {
            ui.day = index;
        }
    }

    // ---------- Drag and drop ----------

    let dragged = null; // {id, grabMinutes}

    root.addEventListener("dragstart", (event) => {
        const block = event.target.closest?.(".schedule-block");
        if (!block) {
            return;
        }
        const session = sessions.get(Number(block.dataset.session));
        const onGrid = block.closest(".schedule-grid__column");
        const grab = onGrid ? (event.clientY - block.getBoundingClientRect().top) / PIXELS_PER_MINUTE : 0;
        dragged = { id: session.id, grabMinutes: Math.max(0, grab) };
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", session.title);
        block.classList.add("schedule-block--dragging");
    });

    root.addEventListener("dragend", (event) => {
        event.target.classList?.remove("schedule-block--dragging");
        dragged = null;
        hideMarkers();
    });

    function dropStart(column, event) {
        const top = column.getBoundingClientRect().top;
        const minutes = (event.clientY - top) / PIXELS_PER_MINUTE - dragged.grabMinutes;
        return snap(Number(column.dataset.first) + minutes);
    }

    function hideMarkers() {
        for (const marker of root.querySelectorAll(".schedule-grid__drop-marker")) {
            marker.hidden = true;
        }
        unscheduled.classList.remove("schedule-editor__unscheduled--target");
    }

    root.addEventListener("dragover", (event) => {
        if (!dragged) {
            return;
        }
        const column = event.target.closest(".schedule-grid__column");
        const side = event.target.closest("[data-schedule-unscheduled]");
        if (!column && !side) {
            return;
        }
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        hideMarkers();
        if (side) {
            unscheduled.classList.add("schedule-editor__unscheduled--target");
            return;
        }
        const marker = column.querySelector(".schedule-grid__drop-marker");
        const start = dropStart(column, event);
        const duration = sessions.get(dragged.id).duration || NO_DURATION_HEIGHT;
        marker.hidden = false;
        marker.style.top = `${(start - Number(column.dataset.first)) * PIXELS_PER_MINUTE}px`;
        marker.style.height = `${duration * PIXELS_PER_MINUTE}px`;
        marker.textContent = clock(start % 1440);
    });

    root.addEventListener("drop", (event) => {
        if (!dragged) {
            return;
        }
        const column = event.target.closest(".schedule-grid__column");
        const side = event.target.closest("[data-schedule-unscheduled]");
        if (!column && !side) {
            return;
        }
        event.preventDefault();
        const { id } = dragged;
        const session = sessions.get(id);
        hideMarkers();
        if (side) {
            if (isPlaced(session)) {
                move(id, { unschedule: true });
            }
            return;
        }
        move(id, {
            room: Number(column.dataset.room),
            start: startAt(column.dataset.date, dropStart(column, event)),
            duration: session.duration, // kept as it is, none included
        });
    });

    // ---------- The keyboard form ----------

    let opener = null; // the id of the session whose form is open

    function openForm(id) {
        const session = sessions.get(id);
        opener = id;
        moveForm.querySelector("[data-schedule-move-session]").value = id;
        moveForm.querySelector("[data-schedule-move-title]").textContent = `Move “${session.title}”`;
        const clashes = moveForm.querySelector("[data-schedule-move-clashes]");
        clashes.replaceChildren(...session.clashes.map((text) => element("li", "", text)));
        const roomSelect = moveForm.querySelector("[data-schedule-move-room]");
        roomSelect.replaceChildren(
            ...data.rooms.map((room) => {
                const option = element("option", "", room.name);
                option.value = room.id;
                return option;
            })
        );
        roomSelect.value = session.room && rooms.has(session.room) ? session.room : visibleRooms()[0]?.id ?? "";
        const day = data.days[ui.day];
        moveForm.querySelector("[data-schedule-move-start]").value =
            session.start || (day ? startAt(day.date, DEFAULT_DAY[0]) : "");
        moveForm.querySelector("[data-schedule-move-duration]").value = session.duration ?? "";
        moveForm.querySelector("[data-schedule-move-edit]").href = session.url;
        moveForm.querySelector("[data-schedule-unschedule]").hidden = !isPlaced(session);
        showFormError("");
        dialog.showModal();
        roomSelect.focus();
    }

    function showFormError(message) {
        const error = moveForm.querySelector("[data-schedule-move-error]");
        error.textContent = message;
        error.hidden = !message;
    }

    async function submitForm(fields) {
        const id = opener;
        const error = await move(id, fields);
        if (error) {
            showFormError(error);
            return;
        }
        dialog.close();
        focusBlock(id);
    }

    root.addEventListener("click", (event) => {
        const block = event.target.closest(".schedule-block");
        if (block && !dialog.contains(block)) {
            openForm(Number(block.dataset.session));
        }
    });

    moveForm.addEventListener("submit", (event) => {
        event.preventDefault();
        const duration = moveForm.querySelector("[data-schedule-move-duration]").value;
        submitForm({
            room: Number(moveForm.querySelector("[data-schedule-move-room]").value),
            start: moveForm.querySelector("[data-schedule-move-start]").value,
            duration: duration ? Number(duration) : null,
        });
    });

    moveForm.querySelector("[data-schedule-unschedule]").addEventListener("click", () => {
        submitForm({ unschedule: true });
    });

    moveForm.querySelector("[data-schedule-move-cancel]").addEventListener("click", () => {
        dialog.close();
    });

    dialog.addEventListener("close", () => {
        if (opener !== null) {
            focusBlock(opener);
            opener = null;
        }
    });

    // ---------- Filters and paging ----------

    roomFilter.addEventListener("input", () => {
        ui.roomFilter = roomFilter.value;
        ui.pageStart = 0;
        renderGrid();
    });

    pageSize.addEventListener("change", () => {
        ui.pageSize = Number(pageSize.value);
        ui.pageStart = 0;
        renderGrid();
    });

    previousRooms.addEventListener("click", () => {
        ui.pageStart = Math.max(0, ui.pageStart - ui.pageSize);
        renderGrid();
    });

    nextRooms.addEventListener("click", () => {
        ui.pageStart += ui.pageSize;
        renderGrid();
    });

    unscheduledFilter.addEventListener("input", () => {
        ui.unscheduledFilter = unscheduledFilter.value;
        renderUnscheduled();
    });

    ui.pageSize = Number(pageSize.value);
    render();
})();
