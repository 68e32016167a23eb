/* The phone's outbox of inspection reports (offline first). A grid member in a basement with no
   signal files the report anyway: the form, its photos and videos are kept in IndexedDB, which
   survives a closed browser, and sent to the API when the signal returns (on the `online` event
   and on every portal page load). Each entry carries an Idempotency-Key made when it was queued:
   the server honours it, so an entry sent twice (its answer lost on the way back, two tabs
   flushing at once) makes one report. The inspector sees what is waiting on the inspections pages.

   Entries are kept per user: on a shared phone, only the logged-in user's entries are listed and
   sent (with their own session). No build step, no library. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.indexedDB || !window.fetch || !window.FormData) { return; }
  var USER = script.getAttribute("data-user");
  var CSRF = script.getAttribute("data-csrf");
  var API = script.getAttribute("data-api");
  var T = {
    waiting: script.getAttribute("data-t-waiting") || "waiting",
    sending: script.getAttribute("data-t-sending") || "sending",
    refused: script.getAttribute("data-t-refused") || "refused",
    queued: script.getAttribute("data-t-queued") || "queued",
    sent: script.getAttribute("data-t-sent") || "sent",
    discard: script.getAttribute("data-t-discard") || "discard"
  };
  var DB_NAME = "mobilization-outbox";
  var STORE = "reports";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("user", "user");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result;
        t.oncomplete = function () { db.close(); resolve(result); };
        t.onerror = function () { db.close(); reject(t.error); };
        t.onabort = function () { db.close(); reject(t.error); };
        result = work(t.objectStore(STORE));
      });
    });
  }

  function all() {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var request = db.transaction(STORE, "readonly").objectStore(STORE).index("user").getAll(USER);
        request.onsuccess = function () { db.close(); resolve(request.result || []); };
        request.onerror = function () { db.close(); reject(request.error); };
      });
    });
  }

  function put(entry) { return tx("readwrite", function (store) { store.put(entry); }); }
  function remove(key) { return tx("readwrite", function (store) { store.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- what is waiting: listed on the pages that have an #outbox section ---------------------
  function render() {
    var section = document.getElementById("outbox");
    if (!section) { return Promise.resolve(); }
    var list = section.querySelector("[data-outbox-list]");
    return all().then(function (entries) {
      list.textContent = "";
      entries.sort(function (a, b) { return a.savedAt - b.savedAt; });
      entries.forEach(function (entry) {
        var li = document.createElement("li");
        li.setAttribute("data-testid", "outbox-entry");
        li.setAttribute("data-state", entry.state);
        var name = document.createElement("strong");
        name.textContent = entry.facilityName;
        li.appendChild(name);
        var meta = document.createElement("span");
        meta.className = "muted";
        var files = entry.files.length ? " · " + entry.files.length + " 📎" : "";
        meta.textContent = " " + new Date(entry.savedAt).toLocaleString() + files + " · " + T[entry.state];
        li.appendChild(meta);
        if (entry.state === "refused") {
          var why = document.createElement("div");
          why.className = "small res-defect";
          why.textContent = entry.error || "";
          li.appendChild(why);
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "link";
          drop.textContent = T.discard;
          drop.addEventListener("click", function () { remove(entry.key).then(render); });
          li.appendChild(drop);
        }
        list.appendChild(li);
      });
      section.hidden = entries.length === 0;
      section.setAttribute("data-count", String(entries.length));
    });
  }

  // --- sending -------------------------------------------------------------------------------
  function body(entry, submit) {
    var data = new FormData();
    Object.keys(entry.fields).forEach(function (name) {
      if (entry.fields[name] !== "" && entry.fields[name] !== null) { data.append(name, entry.fields[name]); }
    });
    data.append("facility", entry.facility);
    data.append("submit", submit ? "true" : "false");
    entry.files.forEach(function (file) { data.append("files", file.blob, file.name); });
    return data;
  }

  function post(entry, submit, key) {
    return fetch(API, {
      method: "POST",
      body: body(entry, submit),
      credentials: "same-origin",
      headers: { "X-CSRFToken": CSRF, "Idempotency-Key": key, "Accept": "application/json" }
    });
  }

  function errorText(response) {
    return response.json().then(function (data) {
      var parts = [];
      Object.keys(data || {}).forEach(function (field) {
        var value = data[field];
        parts.push(Array.isArray(value) ? value.join(" ") : String(value));
      });
      return parts.join(" ");
    }, function () { return String(response.status); });
  }

  function sendOne(entry) {
    return post(entry, entry.submit, entry.key).then(function (response) {
      if (response.ok) { return response.json().then(function () { return remove(entry.key); }).then(function () { return "sent"; }); }
      if (response.status === 400 && entry.submit) {
        // Refused as a submission (an item left unanswered, say): kept on the server as a draft
        // instead, under a key of its own, so nothing typed or photographed is lost.
        return post(entry, false, entry.key + ":draft").then(function (again) {
          if (again.ok) { return remove(entry.key).then(function () { return "sent"; }); }
          return refuse(entry, again);
        });
      }
      if (response.status === 400) { return refuse(entry, response); }
      return "stop"; // logged out (401/403) or the server is down: try again later
    });
  }

  function refuse(entry, response) {
    return errorText(response).then(function (text) {
      entry.state = "refused";
      entry.error = text;
      return put(entry).then(function () { return "refused"; });
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || navigator.onLine === false) { return Promise.resolve(); }
    flushing = true;
    var sent = 0;
    return all().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state !== "refused"; });
      waiting.sort(function (a, b) { return a.savedAt - b.savedAt; });
      return waiting.reduce(function (chain, entry) {
        return chain.then(function (outcome) {
          if (outcome === "stop") { return "stop"; }
          return sendOne(entry).then(function (result) {
            if (result === "sent") { sent += 1; }
            return result;
          }, function () { return "stop"; }); // the network failed again
        });
      }, Promise.resolve("go"));
    }).then(function () {
      flushing = false;
      if (sent) { document.documentElement.setAttribute("data-outbox-sent", String(sent)); }
      return render();
    }, function () { flushing = false; });
  }

  // --- queueing from the report form (a new report, with no signal) ------------------------------
  function queue(form, submitter) {
    var fields = {};
    var checklist = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.name === "csrfmiddlewaretoken") { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      var item = /^item_(.+)$/.exec(el.name);
      var note = /^note_(.+)$/.exec(el.name);
      if (item) {
        checklist[item[1]] = checklist[item[1]] || {};
        checklist[item[1]].result = el.value;
      } else if (note) {
        if (el.value) { checklist[note[1]] = checklist[note[1]] || {}; checklist[note[1]].note = el.value; }
      } else if (["inspected_on", "findings", "severity", "filed_latitude", "filed_longitude", "filed_accuracy_m"].indexOf(el.name) >= 0) {
        fields[el.name] = el.value;
      }
    });
    Object.keys(checklist).forEach(function (k) { if (!checklist[k].result) { delete checklist[k]; } });
    fields.checklist = JSON.stringify(checklist);
    var files = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        files.push({ name: file.name, type: file.type, blob: file });
      });
    });
    var entry = {
      key: newKey(),
      user: USER,
      facility: form.getAttribute("data-outbox-facility"),
      facilityName: form.getAttribute("data-outbox-facility-name"),
      fields: fields,
      files: files,
      submit: !!(submitter && submitter.name === "submit"),
      savedAt: Date.now(),
      state: "waiting"
    };
    return put(entry);
  }

  var form = document.querySelector("form[data-outbox-facility]");
  if (form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) { return; } // with a signal, the form posts as usual
      event.preventDefault();
      event.stopImmediatePropagation();
      queue(form, event.submitter).then(function () {
        var draftKey = form.getAttribute("data-draft-key");
        try { if (draftKey) { window.localStorage.removeItem(draftKey); } } catch (e) { /* no storage */ }
        form.reset();
        var notice = document.getElementById("draft-restored");
        if (notice) { notice.textContent = T.queued; notice.hidden = false; }
        return render();
      });
    }, true);
  }

  window.addEventListener("online", flush);
  render().then(flush);
})();
