/* naikkelas: visits recorded without a connection wait in this browser (localStorage) and are sent when the
   phone is online again. Each visit carries a client_id made here, so the server records it once however
   often it is sent. Photos travel as data URLs while queued. */
(function () {
  "use strict";
  var KEY = "naikkelas-visits";
  var SENT_KEY = "naikkelas-visits-sent";

  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function status(text) {
    var el = document.getElementById("queue-status");
    if (!el) return;
    el.hidden = !text;
    el.textContent = text || "";
  }
  function texts() {
    var form = document.getElementById("visit-form");
    return {
      offline: form ? form.dataset.offlineText : "Offline: kept on this phone.",
      waiting: (form && form.dataset.waitingText) || document.body.dataset.visitsWaiting || "Waiting:",
      sent: (form && form.dataset.sentText) || document.body.dataset.visitsSent || "Sent:"
    };
  }
  function showQueue() {
    var n = load().length;
    status(n ? texts().waiting + " " + n : "");
  }
  function toBlob(dataUrl) {
    var parts = dataUrl.split(","), mime = parts[0].match(/:(.*?);/)[1], bin = atob(parts[1]);
    var arr = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
    return new Blob([arr], {type: mime});
  }
  function formData(item) {
    var fd = new FormData();
    Object.keys(item.fields).forEach(function (k) { fd.append(k, item.fields[k]); });
    (item.photos || []).forEach(function (p) { fd.append("photos", toBlob(p.data), p.name); });
    return fd;
  }
  function send(item) {
    return fetch(item.url, {
      method: "POST", body: formData(item), credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrf()}
    });
  }
  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    var items = load();
    if (!items.length) return Promise.resolve();
    flushing = true;
    var sent = 0;
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () {
        return send(item).then(function (r) {
          // Recorded (201), already recorded (200) or refused for good (422, 403, 404): off the queue.
          if (r.status < 500) {
            save(load().filter(function (x) { return x.fields.client_id !== item.fields.client_id; }));
            if (r.status === 200 || r.status === 201) sent++;
          }
        }).catch(function () { /* still offline: keep it */ });
      });
    });
    return chain.then(function () {
      flushing = false;
      var left = load().length;
      if (sent) localStorage.setItem(SENT_KEY, String(Number(localStorage.getItem(SENT_KEY) || 0) + sent));
      status(left ? texts().waiting + " " + left : (sent ? texts().sent + " " + sent : ""));
    });
  }
  function readPhotos(input) {
    var files = Array.prototype.slice.call((input && input.files) || [], 0, 3);
    return Promise.all(files.map(function (f) {
      return new Promise(function (resolve) {
        var reader = new FileReader();
        reader.onload = function () { resolve({name: f.name, data: reader.result}); };
        reader.onerror = function () { resolve(null); };
        reader.readAsDataURL(f);
      });
    })).then(function (list) { return list.filter(Boolean); });
  }

  var form = document.getElementById("visit-form");
  if (form) {
    var locate = document.getElementById("locate");
    if (locate && navigator.geolocation) {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          form.elements.lat.value = pos.coords.latitude.toFixed(6);
          form.elements.lon.value = pos.coords.longitude.toFixed(6);
          document.getElementById("location-text").textContent =
            form.elements.lat.value + ", " + form.elements.lon.value;
        });
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.elements.client_id.value) form.elements.client_id.value = uuid();
      var fields = {};
      ["client_id", "date", "outcome", "notes", "lat", "lon"].forEach(function (name) {
        var el = form.elements[name];
        fields[name] = el ? (el.value || "") : "";
      });
      var item = {url: form.action || window.location.href, fields: fields, photos: []};
      function queue() {
        return readPhotos(form.elements.photos).then(function (photos) {
          item.photos = photos;
          var items = load().filter(function (x) { return x.fields.client_id !== fields.client_id; });
          items.push(item);
          save(items);
          form.reset();
          form.elements.client_id.value = "";
          status(texts().offline + " " + texts().waiting + " " + items.length);
        });
      }
      if (!navigator.onLine) { queue(); return; }
      var fd = new FormData(form);
      fetch(item.url, {method: "POST", body: fd, credentials: "same-origin",
                       headers: {"Accept": "application/json", "X-CSRFToken": csrf()}})
        .then(function (r) {
          if (r.status === 200 || r.status === 201) { window.location.href = form.dataset.doneUrl; return; }
          if (r.status === 422) {
            return r.json().then(function (body) {
              var list = document.getElementById("visit-errors") || document.createElement("ul");
              list.id = "visit-errors"; list.className = "errorlist"; list.innerHTML = "";
              (body.detail || []).forEach(function (d) {  // the API's shape: [{field, message}]
                var li = document.createElement("li"); li.textContent = d.message; list.appendChild(li);
              });
              form.insertBefore(list, form.firstChild.nextSibling);
            });
          }
          if (r.status >= 500) return queue();
        })
        .catch(queue);  // the connection dropped on the way
    });
  }
  window.addEventListener("online", flush);
  showQueue();
  flush();
})();
