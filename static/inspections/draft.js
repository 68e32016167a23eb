/* Keeps the unsent inspection form on the phone (localStorage) so a dropped connection or a
   reload loses nothing; the server-side draft takes over once a save has gone through. The key
   (set by the page) names the user and the facility: a shared phone keeps each user's apart.
   Chosen photos and videos are not kept here: a report filed with no signal goes, with its
   files, to the phone's outbox (outbox.js, IndexedDB) and is sent when the signal returns. */
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }

  function dropSavedFlag() {
    if (window.history && window.history.replaceState && /[?&]saved=1/.test(window.location.search)) {
      window.history.replaceState(null, "", window.location.pathname);
    }
  }

  // Entries kept before drafts were keyed per user ("inspections:draft:<facility>") could come
  // back in another user's form on a shared phone: nobody can tell whose they are, so they go.
  for (var i = store.length - 1; i >= 0; i--) {
    var stored = store.key(i);
    if (stored && /^inspections:draft:\d+$/.test(stored)) { store.removeItem(stored); }
  }

  // A page reached after a successful save: what the phone kept is on the server now.
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    store.removeItem(el.getAttribute("data-clear-draft"));
    dropSavedFlag();
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = form.getAttribute("data-draft-key");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      // The position is taken afresh at filing, with consent each time: never restored.
      return el.name && el.type !== "file" && el.type !== "submit" && el.type !== "button" && el.name !== "csrfmiddlewaretoken" &&
        el.name !== "share_position" && el.name.indexOf("filed_") !== 0;
    });
  }

  function save() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values[el.name] = el.value; }
      } else {
        values[el.name] = el.value;
      }
    });
    try { store.setItem(key, JSON.stringify({ savedAt: Date.now(), values: values })); } catch (e) { /* storage full */ }
  }

  function restore() {
    var raw = store.getItem(key);
    if (!raw) { return false; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { store.removeItem(key); return false; }
    var values = (data && data.values) || {};
    fields().forEach(function (el) {
      if (!(el.name in values)) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values[el.name] === el.value;
      } else {
        el.value = values[el.name];
      }
    });
    return true;
  }

  if (form.hasAttribute("data-draft-saved")) {
    store.removeItem(key);
    dropSavedFlag();
  } else if (form.hasAttribute("data-draft-answered")) {
    // The server answered what was sent (a refused file, a missing field): the form holds those
    // very entries, nothing was restored from the phone, so no notice says so.
  } else if (restore()) {
    var notice = document.getElementById("draft-restored");
    if (notice) { notice.hidden = false; }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (event) {
    save();
    if (navigator.onLine === false) {
      event.preventDefault();
      var notice = document.getElementById("draft-restored");
      if (notice) {
        notice.textContent = form.getAttribute("data-offline-message") || notice.textContent;
        notice.hidden = false;
      }
    }
  });
})();
