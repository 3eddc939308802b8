// Dashboard: the monthly NPS chart (Chart.js) and sortable tables. The same
// numbers are in plain tables on the page, for screen readers and without JS.
(function () {
  "use strict";
  // On a phone the NPS comes first: the filters fold into their one-line summary (unless they need fixing).
  const filters = document.getElementById("filters");
  if (filters && !filters.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 767.98px)").matches) {
    filters.open = false;
  }
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const canvas = document.getElementById("nps-chart");
  if (canvas && window.Chart && data.labels.length) {
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "line", label: data.npsLabel, data: data.nps, yAxisID: "nps", borderColor: "#0b5ed7",
            backgroundColor: "#0b5ed7", tension: 0.2 },
          { type: "line", label: data.strongLabel, data: data.labels.map(() => data.strong), yAxisID: "nps",
            borderColor: "#198754", borderDash: [6, 4], pointRadius: 0 },
          { type: "bar", label: data.responsesLabel, data: data.responses, yAxisID: "responses",
            backgroundColor: "rgba(108,117,125,.35)" },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          nps: { position: "left", min: -100, max: 100 },
          responses: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } },
        },
      },
    });
  }
  document.querySelectorAll("table[data-sortable]").forEach((table) => {
    table.querySelectorAll("th button[data-sort]").forEach((button) => {
      button.addEventListener("click", () => {
        const th = button.closest("th");
        const index = Array.from(th.parentNode.children).indexOf(th);
        const descending = th.getAttribute("aria-sort") !== "descending";
        table.querySelectorAll("th").forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows).filter((row) => row.cells.length > 1);
        const key = (row) => {
          const cell = row.cells[index];
          return button.dataset.sort === "number" ? Number(cell.dataset.value) : cell.textContent.trim().toLowerCase();
        };
        rows.sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * (descending ? -1 : 1));
        rows.forEach((row) => body.appendChild(row));
      });
    });
  });
})();
