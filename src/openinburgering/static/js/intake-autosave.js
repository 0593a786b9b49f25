/*
 * Progressive enhancement for the brede intake steps: keeps what was typed but not yet saved in localStorage,
 * per intake and leefgebied, so nothing is lost when the browser closes or the login expires.
 *
 * - A form with data-autosave-key="intake-<id>-<code>" stores its text, number, date, radio and checkbox values
 *   on every change (never the CSRF token).
 * - On load, stored values that differ from what the server rendered are put back, and the notice
 *   #autosave-notice ("niet-opgeslagen tekst teruggezet") is shown.
 * - After a successful save the server renders data-autosave-clear="<key>" on the next page; that key is removed.
 * No external dependencies; without JavaScript (or without localStorage) the pages work as before.
 */
(function () {
  "use strict";
  var PREFIX = "oi-autosave:";
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(PREFIX + "probe", "1");
    storage.removeItem(PREFIX + "probe");
  } catch (e) {
    return;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-autosave-clear]"), function (el) {
    var key = el.getAttribute("data-autosave-clear");
    if (key) storage.removeItem(PREFIX + key);
  });

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" && el.type !== "hidden" &&
        el.type !== "button" && el.type !== "file";
    });
  }

  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") {
        if (el.checked) values[el.name] = el.value;
        else if (!(el.name in values)) values[el.name] = "";
      } else if (el.type === "checkbox") {
        var list = values[el.name] || [];
        if (el.checked) list.push(el.value);
        values[el.name] = list;
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function restore(form, stored) {
    fields(form).forEach(function (el) {
      if (!(el.name in stored)) return;
      var value = stored[el.name];
      if (el.type === "radio") el.checked = el.value === value;
      else if (el.type === "checkbox") el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      else el.value = value;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave-key]"), function (form) {
    var key = PREFIX + form.getAttribute("data-autosave-key");
    var rendered = snapshot(form);
    var raw = storage.getItem(key);
    if (raw) {
      try {
        var stored = JSON.parse(raw);
        if (stored && stored.values && !same(stored.values, rendered)) {
          restore(form, stored.values);
          var notice = document.getElementById("autosave-notice");
          if (notice) notice.hidden = false;
        }
      } catch (e) {
        storage.removeItem(key);
      }
    }
    function save() {
      var values = snapshot(form);
      if (same(values, rendered)) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), values: values }));
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  });
})();
