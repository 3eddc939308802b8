// The follow-up page is one form. Typed notes are never lost without a question: leaving with
// unsaved changes asks first. With several live surveys, only the chosen one's topics show and post.
(() => {
  const form = document.getElementById("followup-form");
  if (!form) return;
  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("change", () => { dirty = true; });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.dataset.unsaved;
  });

  const select = document.getElementById("live-version");
  if (!select) return;
  const show = () => {
    form.querySelectorAll("[data-live-version]").forEach((group) => {
      const chosen = group.dataset.liveVersion === select.value;
      group.hidden = !chosen;
      group.querySelectorAll("input").forEach((input) => { input.disabled = !chosen; });
      group.querySelectorAll(".live-version-name").forEach((name) => { name.hidden = true; });
    });
  };
  select.addEventListener("change", show);
  show();
})();
