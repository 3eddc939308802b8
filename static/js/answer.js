// Answer page: save as the person goes, so closing the tab loses nothing.
// Without JavaScript the form posts normally; this only adds autosave.
(function () {
  "use strict";
  const form = document.getElementById("answer-form");
  if (!form) return;
  const status = document.getElementById("save-status");
  let timer = null;

  function post(action) {
    const data = new FormData(form);
    data.set("action", action);
    // form.action would name the submit button called "action"; the page URL is the target.
    return fetch(window.location.href, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
  }

  function save() {
    timer = null;
    post("save")
      .then((response) => {
        status.textContent = response.ok ? form.dataset.saved : form.dataset.saveFailed;
        return response.text();
      })
      .catch(() => { status.textContent = form.dataset.saveFailed; });
  }

  function later(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  // A save still waiting when the page is left goes out as a beacon; one made pointless by
  // submitting the form is dropped, so it never races the submit.
  form.addEventListener("submit", () => { window.clearTimeout(timer); timer = null; });
  form.addEventListener("change", () => later(150));
  form.addEventListener("input", (event) => { if (event.target.tagName === "TEXTAREA") later(1200); });
  window.addEventListener("pagehide", () => {
    if (timer) { window.clearTimeout(timer); const d = new FormData(form); d.set("action", "save"); navigator.sendBeacon(window.location.href, d); }
  });
  post("open").then((response) => response.text()).catch(() => {});
  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
