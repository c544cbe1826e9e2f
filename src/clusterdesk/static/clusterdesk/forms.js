// Guard against double submission: a page form (method="post", not driven by htmx) is
// sent once; a second click or Enter while the first request runs is ignored. Its submit
// buttons are disabled just after the browser has built the request (disabling them before
// would drop the clicked button's name from the data), and enabled again after a while or
// when the page comes back from the browser's history, for responses that do not leave the
// page (a file download).
(function () {
  "use strict";
  var RELEASE_AFTER_MS = 8000;

  function guarded(form) {
    return (form.method || "").toLowerCase() === "post" &&
      !form.hasAttribute("hx-post") && !form.hasAttribute("hx-get") &&
      !form.hasAttribute("data-allow-resubmit");
  }

  function buttons(form) {
    return form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  }

  function release(form) {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
    buttons(form).forEach(function (b) { b.disabled = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !guarded(form) || event.defaultPrevented) {
      return;
    }
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {
      buttons(form).forEach(function (b) { b.disabled = true; });
    }, 0);
    window.setTimeout(function () { release(form); }, RELEASE_AFTER_MS);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(release);
    }
  });
})();
