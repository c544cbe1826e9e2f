// The few behaviours pages need beyond htmx, kept out of the HTML so that the
// Content-Security-Policy can refuse every inline script.

// A form marked data-confirm="question" is sent only once the person confirms.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm) {
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }
});
