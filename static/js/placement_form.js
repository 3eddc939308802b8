// The hiring-manager list follows the chosen client: only that client's contacts are offered,
// fetched when the client changes (an agency may have thousands of hiring managers).
(() => {
  const form = document.getElementById("placement-form");
  if (!form) return;
  const client = form.querySelector("#id_client");
  const contact = form.querySelector("#id_contact");
  if (!client || !contact) return;
  const fill = (placeholder, items) => {
    contact.replaceChildren(new Option(placeholder, ""), ...items.map((c) => new Option(c.label, c.id)));
  };
  client.addEventListener("change", async () => {
    if (!client.value) {
      fill(form.dataset.chooseClient, []);
      return;
    }
    contact.disabled = true;
    try {
      const url = form.dataset.contactsUrl.replace("/0/", `/${encodeURIComponent(client.value)}/`);
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) fill(form.dataset.chooseContact, (await response.json()).contacts);
    } finally {
      contact.disabled = false;
    }
  });
})();
