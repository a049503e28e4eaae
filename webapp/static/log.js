// "My log" page: every change goes through the JSON API with the CSRF token, then the page
// reloads so that what is shown always comes from the server.
"use strict";

(function () {
  var API = "/api/footprint";
  var statusEl = document.getElementById("status");

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
        if (!r.ok) { throw new Error(data.message || ("request failed (" + r.status + ")")); }
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
      document.getElementById("off-title").textContent = "Your log is on";
      document.getElementById("key-value").textContent = data.key;
      document.getElementById("key-panel").hidden = false;
      document.getElementById("device-form").hidden = true;
      button.hidden = true;
      say("Your log is on. Note your key now: it will not be shown again.");
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
    if (!file) { say("Choose a JSON file first."); return; }
    var max = Number(document.body.dataset.importMax);
    if (file.size > max) { say("This file is larger than the server accepts (" + max + " bytes)."); return; }
    file.text().then(function (text) {
      return change("POST", "/import", text, "application/json");
    }).then(function (data) {
      say("Imported: " + data.added + " added, " + data.skipped + " already in your log.");
      window.setTimeout(reload, 1500);
    }).catch(fail);
  });

  on("forget-device", "click", function () {
    change("POST", "/logout").then(reload, fail);
  });

  on("erase-form", "submit", function (ev) {
    ev.preventDefault();
    if (!document.getElementById("erase-confirm").checked) {
      say("Tick the box to confirm that you want to erase your whole log.");
      return;
    }
    change("DELETE", "").then(function (data) {
      say("Your log is erased (" + data.trips_deleted + " entries).");
      window.setTimeout(reload, 1500);
    }).catch(fail);
  });
})();
