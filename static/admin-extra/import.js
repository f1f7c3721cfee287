/*
 * The admin import job page (templates/admin/talks/import_job.html, sessions/admin_import.py).
 *
 * While a worker checks or imports the file, this polls the job's status URL once a second and
 * shows its message and progress (sessions written of the total the dry run counted). When the
 * job moves on (checked, refused, imported, failed), the page reloads: the server draws the
 * diff or the outcome. A failed poll (the server busy, the network down) is retried, slower.
 */
"use strict";

(function () {
    const root = document.querySelector("[data-import-status]");
    if (!root) {
        return;
    }
    const message = root.querySelector("[data-import-message]");
    const progress = root.querySelector("[data-import-progress]");
    const initialStatus = root.dataset.status;
    const POLL_MS = 1000;
    const RETRY_MS = 5000;

    // Confirming twice would be refused anyway; say so by disabling the button once sent.
    const confirm = document.querySelector("[data-import-confirm]");
    if (confirm) {
        confirm.form.addEventListener("submit", () => {
            confirm.disabled = true;
        });
    }
    if (!progress) {
        return; // nothing running: the page shows the diff or the outcome
    }

    function show(status) {
        message.textContent = status.message;
        if (status.total > 0) {
            progress.max = status.total;
            progress.value = Math.min(status.done, status.total);
            progress.textContent = `${status.done} of ${status.total}`;
        }
    }

    async function poll() {
        let status;
        try {
            const response = await fetch(root.dataset.statusUrl, {
                headers: { Accept: "application/json" },
                credentials: "same-origin",
            });
            if (!response.ok) {
                throw new Error(`status ${response.status}`);
            }
            status = await response.json();
        } catch (error) {
            window.setTimeout(poll, RETRY_MS);
            return;
        }
        show(status);
        if (status.status !== initialStatus || !status.working) {
            window.location.reload();
            return;
        }
        window.setTimeout(poll, POLL_MS);
    }

    window.setTimeout(poll, POLL_MS);
})();
