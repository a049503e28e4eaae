// A search box with suggestions as you type (ARIA combobox), backed by /api/geocode.
import { ApiProblem, getJSON } from "./api.js";
import { el } from "./format.js";
import { t } from "./i18n.js";

const DEBOUNCE_MS = 150;

export function attachSearch(input, list, { near, onPick, onError, recent = () => [] }) {
  let timer = null;
  let controller = null;
  let results = [];
  let active = -1;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function pick(index) {
    const item = results[index];
    if (!item) return;
    close();
    input.value = item.name;
    onPick({ lat: item.lat, lon: item.lon }, item.name);
  }

  function markActive(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
    if (index >= 0 && list.children[index]) {
      input.setAttribute("aria-activedescendant", list.children[index].id);
      list.children[index].scrollIntoView({ block: "nearest" });
    }
  }

  function render(query) {
    list.replaceChildren();
    if (!results.length) {
      list.append(el("li", { class: "no-match", role: "option", "aria-disabled": "true", text: t("search.no_match", { query }) }));
    }
    results.forEach((item, i) => {
      const li = el(
        "li",
        { id: `${list.id}-${i}`, role: "option", "aria-selected": "false", class: "suggestion" },
        el("span", { class: "s-name", text: item.name }),
        el("span", { class: "s-detail", text: [t.has(`place_kind.${item.kind}`) ? t(`place_kind.${item.kind}`) : item.kind, item.detail].filter(Boolean).join(" · ") }),
      );
      // mousedown, not click: it fires before the input loses focus and closes the list.
      li.addEventListener("mousedown", (e) => {
        e.preventDefault();
        pick(i);
      });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  async function lookup() {
    const query = input.value.trim();
    if (controller) controller.abort();
    if (query.length < 2) {
      // An empty box offers the recent places of this browser, if any.
      results = query ? [] : recent().map((p) => ({ ...p, kind: "recent", detail: "" }));
      if (results.length) render(query);
      else close();
      return;
    }
    controller = new AbortController();
    const c = near();
    try {
      const body = await getJSON("/api/geocode", { q: query.slice(0, 200), limit: "8", near: `${c.lat.toFixed(5)},${c.lon.toFixed(5)}` }, { signal: controller.signal });
      results = body.results;
      render(query);
    } catch (err) {
      if (err.name === "AbortError") return;
      close();
      if (err instanceof ApiProblem) onError(err);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (e) => {
    const open = !list.hidden && results.length;
    if (e.key === "ArrowDown" && open) {
      e.preventDefault();
      markActive(Math.min(results.length - 1, active + 1));
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      markActive(Math.max(0, active - 1));
    } else if (e.key === "Enter" && open) {
      e.preventDefault();
      pick(active >= 0 ? active : 0);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener("focus", () => {
    if (!input.value.trim()) lookup();
  });
  // Closed a moment after the box loses focus (a click on a suggestion comes first), unless the
  // focus has come back to it meanwhile.
  input.addEventListener("blur", () => setTimeout(() => document.activeElement !== input && close(), 100));
  return { close };
}
