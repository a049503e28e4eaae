// "Your vehicle": car fuel and size, people in the car, factor pack — kept in this browser only.
import { dataText, el } from "./format.js";
import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

export function bindVehicleForm(vehicle, onChange) {
  const fields = { fuel: $("car-fuel"), size: $("car-size"), occupancy: $("occupancy"), pack: $("pack") };
  fields.fuel.value = vehicle.fuel;
  fields.size.value = vehicle.size;
  fields.occupancy.value = vehicle.occupancy || "1";
  const sync = () => {
    fields.size.disabled = !fields.fuel.value;
    const error = $("vehicle-error");
    const n = Number(fields.occupancy.value);
    if (!Number.isInteger(n) || n < 1 || n > 9) {
      error.textContent = t("vehicle.occupancy_error");
      error.hidden = false;
      fields.occupancy.setAttribute("aria-invalid", "true");
      return false;
    }
    error.hidden = true;
    fields.occupancy.setAttribute("aria-invalid", "false");
    return true;
  };
  sync();
  for (const [key, input] of Object.entries(fields)) {
    input.addEventListener("change", () => {
      if (!sync()) return;
      vehicle[key] = input.value;
      if (!fields.fuel.value) vehicle.size = "";
      onChange();
    });
  }
}

// The packs from /api/factors, as choices; the note says what the chosen pack counts.
export function fillPacks(response, vehicle, health) {
  const packs = (Array.isArray(response) ? response : response.packs || []).filter((p) => !p.error);
  const select = $("pack");
  const first = select.firstElementChild;
  if (health && health.factors) first.textContent = t("vehicle.pack_default_named", { pack: health.factors });
  select.replaceChildren(first, ...packs.map((p) => el("option", { value: p.name, lang: p.title ? "en" : null, text: p.title ? `${p.title} (${p.name})` : p.name })));
  select.value = packs.some((p) => p.name === vehicle.pack) ? vehicle.pack : "";
  const note = () => {
    const pack = packs.find((p) => p.name === (select.value || (health && health.factors)));
    const box = $("pack-note");
    box.replaceChildren();
    if (!pack) return;
    const scope = pack.scope && (t.has(`scope.${pack.scope}`) ? t(`scope.${pack.scope}`) : pack.scope);
    const facts = [scope && t("vehicle.pack_scope", { scope }), pack.region && t("vehicle.pack_region", { region: pack.region }), pack.year && t("vehicle.pack_year", { year: pack.year })];
    box.append(facts.filter(Boolean).join(" "));
    // The pack's own explanation, in the language it is written in.
    if (pack.scope_note) box.append(" ", dataText(pack.scope_note));
  };
  select.addEventListener("change", note);
  note();
}
