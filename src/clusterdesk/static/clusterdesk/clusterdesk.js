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

// After a refused form the page comes back with its errors, possibly far below the top:
// focus the first field in error (or the form's error summary) and bring it into view, so
// that a person sees, and a screen reader announces, what to correct.
function focusFirstError() {
  const field = document.querySelector(".field.has-error");
  const summary = document.querySelector("main .errors[role='alert']");
  let target = null;
  if (summary && (!field || summary.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING)) {
    target = summary;
  } else if (field) {
    target = field.querySelector("input:not([type='hidden']), select, textarea") || field;
    const message = field.querySelector(".error[id]");
    if (message && target !== field) {
      target.setAttribute("aria-invalid", "true");
      const described = target.getAttribute("aria-describedby");
      if (!described || !described.split(" ").includes(message.id)) {
        target.setAttribute("aria-describedby", ((described || "") + " " + message.id).trim());
      }
    }
  }
  if (!target) {
    return;
  }
  if (!target.matches("input, select, textarea, button, a[href], [tabindex]")) {
    target.setAttribute("tabindex", "-1");
  }
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", focusFirstError);
} else {
  focusFirstError();
}
