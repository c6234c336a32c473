// Web chat of Trợ lý Một cửa: text goes in via textContent only, never as HTML.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("ask");
  var input = document.getElementById("question");
  var status = document.getElementById("status");
  var large = document.getElementById("large-text");

  function newSessionId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function sessionId() {
    try {
      var id = localStorage.getItem("motcua-session");
      if (!id) { id = newSessionId(); localStorage.setItem("motcua-session", id); }
      return id;
    } catch (e) { return window.__motcuaSession || (window.__motcuaSession = newSessionId()); }
  }

  function addMessage(who, text, buttons) {
    var box = document.createElement("div");
    box.className = "msg " + who;
    box.textContent = text;
    if (buttons && buttons.length) {
      var choices = document.createElement("div");
      choices.className = "choices";
      buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.label;
        button.addEventListener("click", function () { send({ action: b.action }, b.label); });
        choices.appendChild(button);
      });
      box.appendChild(choices);
    }
    log.appendChild(box);
    box.scrollIntoView({ block: "end" });
  }

  function send(payload, shown) {
    addMessage("me", shown);
    status.textContent = "Đang trả lời…";
    payload.session_id = sessionId();
    fetch("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        status.textContent = "";
        if (data.error) { addMessage("bot", data.error); return; }
        data.replies.forEach(function (r) { addMessage("bot", r.text, r.buttons); });
      })
      .catch(function () { status.textContent = "Không kết nối được, xin thử lại."; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send({ text: text }, text);
    input.focus();
  });

  function setLarge(on) {
    document.documentElement.classList.toggle("large", on);
    large.setAttribute("aria-pressed", on ? "true" : "false");
    try { localStorage.setItem("motcua-large", on ? "1" : "0"); } catch (e) {}
  }
  large.addEventListener("click", function () { setLarge(!document.documentElement.classList.contains("large")); });
  try { setLarge(localStorage.getItem("motcua-large") === "1"); } catch (e) {}

  // news about followed dossiers waits on the server until the page asks for it
  function fetchUpdates() {
    fetch("/api/chat/updates?session_id=" + encodeURIComponent(sessionId()))
      .then(function (response) { return response.json(); })
      .then(function (data) { (data.replies || []).forEach(function (r) { addMessage("bot", r.text, r.buttons); }); })
      .catch(function () {});
  }
  var UPDATE_EVERY_MS = window.__motcuaUpdateEveryMs || 30000;
  setInterval(fetchUpdates, UPDATE_EVERY_MS);

  send({ text: "/start" }, "Bắt đầu");
  fetchUpdates();
})();
