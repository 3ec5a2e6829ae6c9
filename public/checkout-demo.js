// The demo checkout page's plan switcher: it only sets the widget's `target-plan`
// attribute and shows the amount the `ratecard:preview` event reports.
const widget = document.getElementById("checkout");
const readout = document.querySelector("[data-testid=host-due-now]");

for (const radio of document.querySelectorAll("input[name=target]")) {
  radio.addEventListener("change", () => widget.setAttribute("target-plan", radio.value));
}

widget.addEventListener("ratecard:preview", (event) => {
  const { kind, due_now_minor, currency } = event.detail;
  readout.textContent = `The widget reported a ${kind}: ${due_now_minor} minor units of ${currency} due now.`;
});
