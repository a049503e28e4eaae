// The page's messages: the catalogue the server chose (webapp/messages/<lang>.json), handed over in
// a JSON block of the page (data, not script: the CSP allows no inline script).

const block = document.getElementById("messages");
const MESSAGES = block ? JSON.parse(block.textContent) : {};
export const LANG = document.documentElement.lang || "en";
const plurals = new Intl.PluralRules(LANG);

// t("key", { n: 3, name: "x" }): the message with {name} filled in; a message that is an object
// of plural forms ({ "one": ..., "other": ... }) is chosen by params.n.
export function t(key, params = {}) {
  let text = MESSAGES[key];
  if (text == null) {
    console.warn(`no message ${key}`);
    return key;
  }
  if (typeof text === "object") text = text[plurals.select(Number(params.n))] ?? text.other;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function has(key) {
  return key in MESSAGES;
}
t.has = has;

// The language switch: remembered in a cookie the server reads (and nothing else), then the page
// is loaded again in that language with the same query.
export const LANG_COOKIE = "greenroute_lang";
const YEAR_S = 365 * 24 * 3600;

export function chooseLanguage(lang) {
  document.cookie = `${LANG_COOKIE}=${encodeURIComponent(lang)}; path=/; max-age=${YEAR_S}; SameSite=Lax`;
  window.location.reload();
}

export function bindLanguageSwitch(root = document) {
  for (const button of root.querySelectorAll("[data-lang-choice]")) {
    button.addEventListener("click", () => chooseLanguage(button.dataset.langChoice));
  }
}
