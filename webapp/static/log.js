// "My log" page: every change goes through the JSON API with the CSRF token, then the page
// reloads so that what is shown always comes from the server.
"use strict";

(function () {
  var API = "/api/footprint";
  var statusEl = document.getElementById("status");
  // The page's messages, handed over as data in an attribute (the CSP allows no inline script).
  var MESSAGES = JSON.parse(document.body.dataset.messages || "{}");
  // The same cookie as the planner's switch (i18n.js): one remembered choice for both pages.
  var LANG_COOKIE = "greenroute_lang";
  var YEAR_S = 365 * 24 * 3600;

  // t(key, { name: value }): the page's message with {name} filled in.
  function t(key, params) {
    var text = MESSAGES[key];
    if (text == null) { return key; }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return params && name in params ? String(params[name]) : whole;
    });
  }

  document.querySelectorAll("[data-lang-choice]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.cookie = LANG_COOKIE + "=" + encodeURIComponent(button.dataset.langChoice) +
        "; path=/; max-age=" + YEAR_S + "; SameSite=Lax";
      window.location.reload();
    });
  });

  function say(text) {
    statusEl.textContent = text;
  }

  function csrfToken() {
    return fetch(API + "/csrf", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) { return body.csrf_token; });
  }

  // Sends one change; resolves with the JSON answer, rejects with the server's message.
  function change(method, path, body, contentType) {
    return csrfToken().then(function (token) {
      var headers = { "X-CSRF-Token": token };
      var payload = body;
      if (body !== undefined) {
        headers["Content-Type"] = contentType || "application/json";
        if (!contentType) { payload = JSON.stringify(body); }
      }
      return fetch(API + path, {
        method: method, headers: headers, body: payload, credentials: "same-origin"
      });
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { throw new Error(data.message || t("logpage.request_failed", { status: r.status })); }
        return data;
      });
    });
  }

  function reload() { window.location.reload(); }
  function fail(err) { say(err.message); }

  function on(id, event, handler) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener(event, handler); }
  }

  on("turn-on", "click", function () {
    var button = document.getElementById("turn-on");
    button.disabled = true;
    change("POST", "").then(function (data) {
      document.getElementById("off-title").textContent = t("logpage.on_title");
      document.getElementById("key-value").textContent = data.key;
      document.getElementById("key-panel").hidden = false;
      document.getElementById("device-form").hidden = true;
      button.hidden = true;
      say(t("logpage.key_shown"));
      document.getElementById("key-done").focus();
    }).catch(function (err) { button.disabled = false; fail(err); });
  });

  on("key-done", "click", reload);

  on("device-form", "submit", function (ev) {
    ev.preventDefault();
    var key = document.getElementById("device-key").value;
    change("POST", "/device", { key: key }).then(reload, fail);
  });

  function accountForm(id, path) {
    on(id, "submit", function (ev) {
      ev.preventDefault();
      var form = ev.target;
      change("POST", path, {
        username: form.elements.username.value, password: form.elements.password.value
      }).then(reload, fail);
    });
  }
  accountForm("login-form", "/login");
  accountForm("register-form", "/register");

  document.querySelectorAll(".edit-form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {
        started_at: form.elements.started_at.value,
        mode: form.elements.mode.value
      };
      change("PATCH", "/trips/" + encodeURIComponent(form.dataset.id), body).then(reload, fail);
    });
  });

  document.querySelectorAll("button.delete").forEach(function (button) {
    button.addEventListener("click", function () {
      change("DELETE", "/trips/" + encodeURIComponent(button.dataset.id)).then(reload, fail);
    });
  });

  on("import-form", "submit", function (ev) {
    ev.preventDefault();
    var file = document.getElementById("import-file").files[0];
    if (!file) { say(t("logpage.choose_file")); return; }
    var max = Number(document.body.dataset.importMax);
    if (file.size > max) { say(t("logpage.too_large", { max: max })); return; }
    file.text().then(function (text) {
      return change("POST", "/import", text, "application/json");
    }).then(function (data) {
      say(t("logpage.imported", { added: data.added, skipped: data.skipped }));
      window.setTimeout(reload, 1500);
    }).catch(fail);
  });

  on("forget-device", "click", function () {
    change("POST", "/logout").then(reload, fail);
  });

  on("erase-form", "submit", function (ev) {
    ev.preventDefault();
    if (!document.getElementById("erase-confirm").checked) {
      say(t("logpage.tick_box"));
      return;
    }
    change("DELETE", "").then(function (data) {
      say(t("logpage.erased", { n: data.trips_deleted }));
      window.setTimeout(reload, 1500);
    }).catch(fail);
  });
})();
