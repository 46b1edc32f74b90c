// The language menu switches as soon as a language is chosen. Without this
// script the form keeps its "Switch" button, which is hidden only here.
document.querySelectorAll("form[data-language-switch]").forEach((form) => {
  const select = form.querySelector("select");
  const button = form.querySelector("[data-language-switch-button]");
  if (!select || !button) {
    return;
  }
  button.hidden = true;
  select.addEventListener("change", () => form.requestSubmit());
});
