// Survey builder: drag-and-drop with SortableJS, and Up/Down/Add/Remove
// buttons that work without a round trip. Without JavaScript the same
// buttons post the form and the server applies the change.
(function () {
  "use strict";
  const form = document.getElementById("builder");
  if (!form) return;
  const list = document.getElementById("selected-topics");
  const template = document.getElementById("selected-topic-template");
  const status = document.getElementById("builder-status");
  const full = document.getElementById("builder-full");
  const kind = form.querySelector("[name=kind]");

  const format = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  const items = () => Array.from(list.querySelectorAll(".selected-topic"));
  const limit = () => Number(kind && kind.value === "live" ? form.dataset.limitLive : form.dataset.limitOnline);
  const say = (text) => { status.textContent = ""; window.setTimeout(() => { status.textContent = text; }, 50); };

  function refresh() {
    const chosen = items();
    const ids = new Set(chosen.map((li) => li.dataset.topicId));
    const isFull = chosen.length >= limit();
    document.querySelector("#topic-counter [data-count]").textContent = chosen.length;
    document.querySelector("#topic-counter [data-limit]").textContent = limit();
    document.getElementById("topic-counter").classList.toggle("text-bg-danger", chosen.length > limit());
    document.getElementById("no-topics").classList.toggle("d-none", chosen.length > 0);
    document.querySelectorAll("[data-dimension-count]").forEach((el) => {
      const n = chosen.filter((li) => li.dataset.dimension === el.dataset.dimensionCount).length;
      el.querySelector("[data-n]").textContent = n;
      el.querySelector("[data-empty-warning]").classList.toggle("d-none", n > 0);
    });
    form.querySelectorAll("[data-add]").forEach((button) => {
      button.disabled = ids.has(button.dataset.topicId) || isFull;
    });
    chosen.forEach((li, i) => {
      li.querySelector("[data-move=up]").disabled = i === 0;
      li.querySelector("[data-move=down]").disabled = i === chosen.length - 1;
    });
    if (chosen.length > limit()) {
      full.textContent = form.dataset.msgFull;
      full.classList.remove("d-none");
    } else if (!isFull) {
      full.classList.add("d-none");
    }
  }

  function nameOf(li) { return li.querySelector("[data-name]").textContent; }

  function announceMove(li) {
    const chosen = items();
    say(format(form.dataset.msgMoved, { name: nameOf(li), position: chosen.indexOf(li) + 1, count: chosen.length }));
  }

  function add(button) {
    if (items().length >= limit()) {
      full.textContent = form.dataset.msgFull;
      full.classList.remove("d-none");
      say(form.dataset.msgFull);
      return;
    }
    const li = template.content.firstElementChild.cloneNode(true);
    const id = button.dataset.topicId;
    li.dataset.topicId = id;
    li.dataset.dimension = button.dataset.dimension;
    li.querySelector("input[name=topics]").value = id;
    li.querySelectorAll("[data-name]").forEach((el) => { el.textContent = button.dataset.name; });
    li.querySelector("[data-dimension-label]").textContent = button.dataset.dimensionLabel;
    li.querySelector("[data-move=up]").value = "up:" + id;
    li.querySelector("[data-move=down]").value = "down:" + id;
    li.querySelector("[data-remove]").value = "remove:" + id;
    list.appendChild(li);
    refresh();
    say(format(form.dataset.msgAdded, { name: button.dataset.name }));
    if (items().length >= limit()) {
      full.textContent = form.dataset.msgFull;
      full.classList.remove("d-none");
    }
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    const li = button.closest(".selected-topic");
    if (button.hasAttribute("data-add")) {
      event.preventDefault();
      add(button);
    } else if (button.dataset.move && li) {
      event.preventDefault();
      const sibling = button.dataset.move === "up" ? li.previousElementSibling : li.nextElementSibling;
      if (!sibling) return;
      if (button.dataset.move === "up") list.insertBefore(li, sibling);
      else list.insertBefore(sibling, li);
      refresh();
      const again = li.querySelector("[data-move=" + button.dataset.move + "]");
      (again.disabled ? li.querySelector("[data-move=" + (button.dataset.move === "up" ? "down" : "up") + "]") : again).focus();
      announceMove(li);
    } else if (button.hasAttribute("data-remove") && li) {
      event.preventDefault();
      const next = li.nextElementSibling || li.previousElementSibling;
      const name = nameOf(li);
      li.remove();
      refresh();
      (next ? next.querySelector("[data-remove]") : list).focus();
      say(format(form.dataset.msgRemoved, { name: name }));
    }
  });

  if (kind) kind.addEventListener("change", refresh);
  if (window.Sortable) {
    window.Sortable.create(list, {
      handle: ".drag-handle",
      forceFallback: true, // pointer events: works the same with mouse, touch and pen
      animation: 150,
      onEnd: (event) => { refresh(); announceMove(event.item); },
    });
  }
  list.setAttribute("tabindex", "-1");
  refresh();
})();
