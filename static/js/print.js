// The report's print button: the browser's own print dialog, which also saves as PDF.
document.getElementById("print-report")?.addEventListener("click", () => window.print());
