// The browse page answers a bad filter value with 400 and a missing result page with 404,
// each with a message that says what to do. htmx drops error answers by default: show these.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  var source = event.detail.requestConfig && event.detail.requestConfig.elt;
  if ((status === 400 || status === 404) && source && source.id === "browse-form") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// The filters fold under a disclosure so that on a phone the first results come first; on
// a wide screen, where they stand beside the results, CSS shows them (::details-content).
// Browsers without ::details-content get the disclosure opened instead.
(function () {
  var disclosure = document.getElementById("browse-disclosure");
  if (disclosure && !CSS.supports("selector(::details-content)") &&
      window.matchMedia("(min-width: 56rem)").matches) {
    disclosure.open = true;
  }
})();

// The search field asks for results as one types (the form's "input from:#id_q" trigger).
// Leaving the field fires its change event too, which would ask again for the same results;
// that answer replaces the filters a moment later and can swallow the next key press on a
// checkbox. Keep the field's change event from reaching the form's htmx trigger.
document.addEventListener("change", function (event) {
  if (event.target.id === "id_q") {
    event.stopPropagation();
  }
}, true);
