// ratecard.js: defines the <ratecard-widget> element.
//
// Written into dist/ by `cargo xtask` from src/embed/loader.js. The widget is built as
// one Wasm bundle per need (the tier table; with a subscriber's plan-change buttons; with
// the JSON reader; the checkout and support views, each also with the tier table), so a
// pricing page downloads only the tier table's code. The marker below
// becomes `BUNDLES`: for each bundle its views, its Wasm's hashed URL and Subresource
// Integrity hash, and its wasm-bindgen glue inlined as a function (so this one file,
// checked by the host page's integrity attribute, is all the JavaScript the embed runs).
// Every URL is resolved against this script's own URL, so the embed works from any host
// page and any origin that CORS allows.

/* __RATECARD_BUNDLES__ */

/** The origin that served this script: where catalogue ids that are not built in are fetched. */
const API_BASE = new URL(import.meta.url).origin;

/** The folder of the zone files beside this script: a calculation fetches the one zone it
 * needs from there (`ensure_zone` in src/fetch.rs). */
const ZONES_BASE = new URL("zones/", import.meta.url).href;

/** Every element with a live widget. The Wasm is built with `panic = "abort"`, so one trap
 * kills the instance they all share: then each of them shows the failure shell. */
const live = new Set();
let trapped = null;

/** True for an error that means the Wasm instance is dead (a panic or another trap). */
function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError;
}

function failAll(error) {
  trapped ??= error;
  RatecardWidget.failEvery(live, `The pricing widget stopped: ${error}`);
}

// A trap can also happen in an event handler the widget registered (a click, an input),
// outside any call made here; the browser reports it to `window`.
window.addEventListener("error", (event) => {
  if (isTrap(event.error)) failAll(event.error);
});
window.addEventListener("unhandledrejection", (event) => {
  if (isTrap(event.reason)) failAll(event.reason);
});

/** The attributes the element reacts to: the lines of src/embed/attributes.txt, which the
 * widget's Wasm reads too (`attribute_names` in src/model/attrs.rs). */
const ATTRIBUTES = [/* __RATECARD_ATTRIBUTES__ */];

/** Styles for the loading and failure states, before the widget's own sheet is adopted. */
const SHELL_CSS = `
:host { display: block; }
.rc-shell { min-height: var(--ratecard-reserved-height, 28rem); padding: 1rem;
  font-family: var(--ratecard-font, system-ui, sans-serif); color: var(--ratecard-muted, #4a5060); }
.rc-shell--failed { min-height: 0; border: 2px solid var(--ratecard-danger, #a4161a);
  border-radius: var(--ratecard-radius, 12px); color: var(--ratecard-text, #1a1d24); }
`;

/** The bundles started so far, by name: each is the promise of its glue's exports. */
const started = new Map();

/** The built-in catalogues: the same list as `Catalogue::builtin_ids()` in the rules
 * crate (a test in src/model/source.rs checks). Any other `catalogue` is fetched as JSON. */
const BUILTIN_CATALOGUES = ["stable-audio", "api-credits", "pay-as-you-go"];

/** What an element needs of a bundle: its view, whether it reads a remote catalogue, and
 * whether its tier table speaks to a current subscriber (`current-plan`), whose buttons
 * need the plan-change calculation that a plain pricing page never downloads. */
function needs(element) {
  const catalogue = element.getAttribute("catalogue");
  const view = element.getAttribute("view") ?? "tiers";
  return {
    view,
    remote: catalogue !== null && !BUILTIN_CATALOGUES.includes(catalogue),
    planChange: view === "tiers" && (element.getAttribute("current-plan") ?? "").trim() !== "",
  };
}

function serves(bundle, need) {
  return (
    bundle.views.includes(need.view) &&
    (bundle.remote || !need.remote) &&
    (bundle.planChange || !need.planChange)
  );
}

/** The attributes that can make an element need another bundle. */
const BUNDLE_ATTRIBUTES = ["view", "catalogue", "current-plan"];

/** The bundle for `need`: one already started if it can, else the smallest that can. An
 * unknown view gets a bundle with the tier table, which explains the mistake. */
function bundleFor(need) {
  const known = BUNDLES.some((bundle) => bundle.views.includes(need.view));
  const able = BUNDLES.filter((bundle) => serves(bundle, known ? need : { ...need, view: "tiers" }));
  return able.find((bundle) => started.has(bundle.name)) ?? able[0];
}

function start(bundle) {
  if (!started.has(bundle.name)) {
    const exports = bundle.glue();
    const ready = exports
      .init({ module_or_path: fetch(bundle.url, { integrity: bundle.integrity, credentials: "omit" }) })
      .then(() => exports);
    started.set(bundle.name, ready);
  }
  return started.get(bundle.name);
}

let shellSheet = null;
function shellStyles() {
  if (!shellSheet) {
    shellSheet = new CSSStyleSheet();
    shellSheet.replaceSync(SHELL_CSS);
  }
  return shellSheet;
}

// Sets the `ratecard:tiers-painted` performance mark once, after the first frame that
// shows a tier table, so a host (or `cargo xtask bench`) can time the first render.
let tiersMarked = false;
function markTiersPainted(root) {
  if (tiersMarked) return;
  const mark = () => {
    if (tiersMarked) return;
    tiersMarked = true;
    // The animation frame callback runs before the paint; the task queued from it runs after.
    requestAnimationFrame(() => setTimeout(() => performance.mark("ratecard:tiers-painted"), 0));
  };
  if (root.querySelector('[data-testid="tier"]')) {
    mark();
    return;
  }
  const observer = new MutationObserver(() => {
    if (root.querySelector('[data-testid="tier"]')) {
      observer.disconnect();
      mark();
    }
  });
  observer.observe(root, { childList: true, subtree: true });
}

class RatecardWidget extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #root;
  #handle = null;
  /** The support key (`accessToken`): kept here only, never in an attribute or the DOM. */
  #accessToken = null;
  /** The bundle this element's widget runs in, once mounting has begun. */
  #bundle = null;
  /** Whether a check for another bundle is already queued. */
  #rebundling = false;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    // A key set on the element before this class upgraded it is an own property that
    // hides the accessor: move it into the private field.
    if (Object.prototype.hasOwnProperty.call(this, "accessToken")) {
      const key = this.accessToken;
      delete this.accessToken;
      this.accessToken = key;
    }
  }

  /** The support key the support view sends as `Authorization: Bearer`. It is a
   * property only: an `access-token` attribute is ignored and never written. Setting it,
   * even to the same key, loads the search and the account again; `null` clears it. */
  get accessToken() {
    return this.#accessToken;
  }

  set accessToken(value) {
    this.#accessToken = value === null || value === undefined || value === "" ? null : String(value);
    if (this.#handle) this.#call(() => this.#handle.set_access_token(this.#accessToken), "stopped");
  }

  connectedCallback() {
    if (this.#handle || this.#bundle) return;
    this.#mount();
  }

  /** Starts the bundle for the current `view` and mounts the widget from it. */
  #mount() {
    if (trapped) {
      this.#fail(`The pricing widget stopped: ${trapped}`);
      return;
    }
    const bundle = bundleFor(needs(this));
    this.#bundle = bundle;
    this.#showShell("Loading prices…", false);
    start(bundle)
      .then((glue) => {
        if (!this.isConnected || this.#handle || this.#bundle !== bundle || trapped) return;
        this.#call(() => {
          this.#handle = glue.mountWidget(this, this.#root, {
            apiBase: API_BASE,
            zonesBase: ZONES_BASE,
            accessToken: this.#accessToken,
          });
          live.add(this);
        }, "could not start");
        if (this.#handle) {
          this.dispatchEvent(new CustomEvent("ratecard:ready", { bubbles: true, composed: true }));
          markTiersPainted(this.#root);
        }
      })
      .catch((error) => {
        if (this.#bundle === bundle) this.#fail(`The pricing widget could not start: ${error}`);
      });
  }

  disconnectedCallback() {
    this.#unmount();
    this.#bundle = null;
  }

  #unmount() {
    live.delete(this);
    if (!this.#handle) return;
    const handle = this.#handle;
    this.#handle = null;
    if (trapped) return;
    this.#call(() => {
      handle.unmount();
      handle.free();
    }, "stopped");
  }

  attributeChangedCallback(name, _old, value) {
    // A view, a catalogue or a current plan may need another bundle. Decide once the
    // host's synchronous changes are done (`Object.assign(widget, {...})` sets several),
    // so a passing combination starts no bundle of its own.
    if (BUNDLE_ATTRIBUTES.includes(name) && this.#bundle && !this.#rebundling) {
      this.#rebundling = true;
      queueMicrotask(() => {
        this.#rebundling = false;
        this.#rebundle();
      });
    }
    if (!this.#handle) return;
    this.#call(() => this.#handle.set_attribute(name, value), "stopped");
  }

  /** Mounts from another bundle when the running one (or the one still loading) cannot
   * serve the element's `view`, `catalogue` and `current-plan`. */
  #rebundle() {
    if (!this.#bundle) return;
    const need = needs(this);
    if (!serves(this.#bundle, need) && bundleFor(need) !== this.#bundle) {
      this.#unmount();
      this.#mount();
    }
  }

  /** Runs a call into the Wasm; a failure shows the shell, and a trap fails every widget. */
  #call(body, what) {
    try {
      body();
    } catch (error) {
      if (isTrap(error)) failAll(error);
      this.#fail(`The pricing widget ${what}: ${error}`);
    }
  }

  /** Shows the failure shell: the widget is dead, but says so instead of going blank. */
  #fail(message) {
    live.delete(this);
    this.#handle = null;
    this.#bundle = null;
    this.#showShell(message, true);
  }

  /** Shows the failure shell in each of `elements`. */
  static failEvery(elements, message) {
    for (const element of [...elements]) element.#fail(message);
  }

  /** Shows a loading or failure message, as text, in place of the widget. */
  #showShell(message, failed) {
    this.#root.adoptedStyleSheets = [shellStyles()];
    const box = document.createElement("div");
    box.className = failed ? "rc-shell rc-shell--failed" : "rc-shell";
    box.setAttribute("role", failed ? "alert" : "status");
    box.dataset.testid = failed ? "error" : "loading";
    box.textContent = message;
    this.#root.replaceChildren(box);
  }
}

/** `tax-rate-bp` → `taxRateBp`: the property name of an attribute. */
function propertyName(attribute) {
  return attribute.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

/** `taxRateBp` → `tax-rate-bp`; attribute names pass through unchanged. */
function attributeName(name) {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

// Every attribute is also a property, for hosts that prefer code: `widget.targetPlan =
// "max"` sets `target-plan`, and `null` removes it. `editable` is a boolean.
for (const attribute of ATTRIBUTES) {
  const boolean = attribute === "editable";
  Object.defineProperty(RatecardWidget.prototype, propertyName(attribute), {
    configurable: true,
    enumerable: true,
    get() {
      return boolean ? this.hasAttribute(attribute) : this.getAttribute(attribute);
    },
    set(value) {
      if (boolean) this.toggleAttribute(attribute, Boolean(value));
      else if (value === null || value === undefined) this.removeAttribute(attribute);
      else this.setAttribute(attribute, String(value));
    },
  });
}

if (!customElements.get("ratecard-widget")) {
  customElements.define("ratecard-widget", RatecardWidget);
}

/**
 * Mounts a widget into `element` for hosts that prefer code to markup: it becomes (or is
 * replaced by) a <ratecard-widget> with the given options as attributes.
 *
 * @param {Element} element a <ratecard-widget>, or any element to put one into
 * @param {Record<string, string | boolean | null>} options attributes by their attribute
 *   or property name, such as { view: "checkout", targetPlan: "max" }, and `accessToken`,
 *   the support key (a property only, never an attribute)
 * @returns {HTMLElement} the <ratecard-widget> element
 */
export function mount(element, options = {}) {
  const widget =
    element.localName === "ratecard-widget"
      ? element
      : element.appendChild(document.createElement("ratecard-widget"));
  for (const [name, value] of Object.entries(options)) {
    const attribute = attributeName(name);
    if (attribute === "access-token") {
      widget.accessToken = value;
      continue;
    }
    if (!ATTRIBUTES.includes(attribute)) {
      throw new TypeError(
        `ratecard: unknown option \`${name}\`; options are ${[...ATTRIBUTES.map(propertyName), "accessToken"].join(", ")}`,
      );
    }
    widget[propertyName(attribute)] = value;
  }
  return widget;
}
