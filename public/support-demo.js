// The demo support console's sign-in: the support key is read from the password field and
// handed to the widget's `accessToken` property. It lives in this module's memory and the
// widget's only: never in localStorage, a cookie, the URL or an attribute. "Sign out"
// clears it (and the widget drops the account it showed).
const widget = document.getElementById("support");
const form = document.getElementById("signin");
const field = document.getElementById("support-key");
const status = document.getElementById("signin-status");
const signOut = document.getElementById("signout");
const opened = document.querySelector("[data-testid=host-account-opened]");

function signedIn(yes) {
  status.textContent = yes
    ? "Signed in. Search for a customer below; the key is kept in this tab's memory only."
    : "Not signed in. The key stays in this tab's memory only.";
  signOut.hidden = !yes;
  form.hidden = yes;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const key = field.value.trim();
  // Clear the field at once, so the key is not left in the form.
  field.value = "";
  if (!key) return;
  widget.accessToken = key;
  signedIn(true);
});

signOut.addEventListener("click", () => {
  widget.accessToken = null;
  opened.textContent = "";
  signedIn(false);
  field.focus();
});

widget.addEventListener("ratecard:account-opened", (event) => {
  opened.textContent = `Opened account ${event.detail.account}.`;
});
