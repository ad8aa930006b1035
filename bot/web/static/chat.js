/* Qamqor web chat.
 * Talks to /chat/api (JSON, same origin), draws every reply with textContent only (never innerHTML), and keeps
 * the transcript in sessionStorage so a reload shows it again. No framework, no external URL.
 * Every few seconds it asks /chat/api/inbox for what Qamqor wrote outside a turn (reminders, staff answers).
 */
(function () {
  "use strict";

  var API = "/chat/api";
  var DOCUMENT_PREFIX = API + "/documents/";
  var INBOX_URL = API + "/inbox";
  var POLL_MS = 4000;
  var STORE_KEY = "qamqor.chat.transcript.v1";
  var MAX_ENTRIES = 400;
  var SVG_NS = "http://www.w3.org/2000/svg";

  var root = document.getElementById("chat");
  var labels = JSON.parse(document.getElementById("chat-labels").textContent);
  var transcript = document.getElementById("transcript");
  var statusLine = document.getElementById("status");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var attachButton = document.getElementById("attach");
  var fileInput = document.getElementById("file");
  var defaultAccept = fileInput.accept;
  var maxBytes = Number(root.dataset.maxBytes) || 0;

  // entries: {from: "person", text | file, failed?} | {from: "bot", reply, picked?} | {from: "notice", text}
  var entries = loadEntries();
  var views = []; // views[i] = {item: <li>, buttons: [<button>...]} for entries[i]
  var busy = false;
  var polling = false;
  var toAcknowledge = []; // inbox keys received; confirmed on the next poll so the server stops resending them

  function loadEntries() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "[]");
      return Array.isArray(saved) ? saved.filter(isEntry) : [];
    } catch (error) {
      return [];
    }
  }

  function saveEntries() {
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(entries.slice(-MAX_ENTRIES)));
    } catch (error) {
      /* storage full or disabled: the chat still works, only a reload forgets it */
    }
  }

  function isEntry(entry) {
    if (!entry || typeof entry !== "object") return false;
    if (entry.from === "bot") return isReply(entry.reply);
    return entry.from === "person" || entry.from === "notice";
  }

  function isReply(reply) {
    return !!reply && typeof reply === "object" && typeof reply.type === "string";
  }

  function text(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = text(content);
    return node;
  }

  // The hidden speaker names follow the page language, so a language picked mid-conversation relabels them all.
  function speaker(who) {
    var span = element("span", "visually-hidden", labels[who] + ": ");
    span.setAttribute("data-speaker", who);
    return span;
  }

  function paperclip() {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", "M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "1.8");
    path.setAttribute("stroke-linecap", "round");
    svg.appendChild(path);
    return svg;
  }

  /* ---- drawing ---- */

  function draw(entry, index) {
    var view = { item: element("li", "msg msg-" + entry.from), buttons: [] };
    if (entry.from === "person") drawPerson(entry, view);
    else if (entry.from === "bot") drawReply(entry, index, view);
    else view.item.appendChild(element("p", "", entry.text));
    views[index] = view;
    transcript.appendChild(view.item);
  }

  function drawPerson(entry, view) {
    view.item.appendChild(speaker("you"));
    var line = element("p", entry.file !== undefined ? "file" : "");
    if (entry.file !== undefined) {
      line.appendChild(paperclip());
      line.appendChild(document.createTextNode(" " + text(entry.file)));
    } else {
      line.textContent = text(entry.text);
    }
    view.item.appendChild(line);
  }

  function drawReply(entry, index, view) {
    var reply = entry.reply;
    view.item.appendChild(speaker("title"));
    if (reply.type === "document") {
      drawDocument(reply, view);
      return;
    }
    view.item.appendChild(element("p", "", reply.text));
    if (reply.type === "choice" && Array.isArray(reply.options)) {
      var box = element("div", "options");
      reply.options.forEach(function (option) {
        var button = element("button", "option", option.label);
        button.type = "button";
        if (entry.picked !== undefined && entry.picked === option.id) button.classList.add("picked");
        button.addEventListener("click", function () {
          sendChoice(index, option);
        });
        view.buttons.push(button);
        box.appendChild(button);
      });
      view.item.appendChild(box);
    } else if (reply.type === "request_file") {
      var attach = element("button", "request-attach", labels.attach);
      attach.type = "button";
      attach.addEventListener("click", openFilePicker);
      view.buttons.push(attach);
      view.item.appendChild(attach);
    }
  }

  function drawDocument(reply, view) {
    if (reply.caption) view.item.appendChild(element("p", "caption", reply.caption));
    var url = text(reply.url);
    if (url.indexOf(DOCUMENT_PREFIX) !== 0) return; // only our own download links, never a foreign URL
    var link = element("a", "document");
    link.href = url;
    link.setAttribute("download", text(reply.file_name));
    link.appendChild(paperclip());
    link.appendChild(document.createTextNode(labels.download + ": " + text(reply.file_name)));
    view.item.appendChild(link);
  }

  function append(entry) {
    entries.push(entry);
    draw(entry, entries.length - 1);
    transcript.scrollTop = transcript.scrollHeight;
    return entry;
  }

  function lastIndex(test) {
    for (var i = entries.length - 1; i >= 0; i -= 1) if (test(entries[i])) return i;
    return -1;
  }

  /* Buttons work only on the newest replies; a failed send keeps the question open. */
  function refresh() {
    var lastPerson = lastIndex(function (e) {
      return e.from === "person" && !e.failed;
    });
    views.forEach(function (view, i) {
      if (!view) return;
      view.item.classList.toggle("failed", !!entries[i].failed);
      view.buttons.forEach(function (button) {
        button.disabled = busy || i < lastPerson;
      });
    });
    // A file request stays open until the person answers, even when the dialogue adds a note or buttons after it.
    var lastRequest = lastIndex(function (e) {
      return e.from === "bot" && e.reply.type === "request_file";
    });
    var request = lastRequest > lastPerson ? entries[lastRequest].reply : null;
    attachButton.classList.toggle("prominent", request !== null);
    fileInput.accept = request && Array.isArray(request.accept) ? request.accept.join(",") : defaultAccept;
    sendButton.disabled = busy;
    attachButton.disabled = busy;
    statusLine.textContent = busy ? labels.sending : "";
  }

  function applyLabels(lang, fresh) {
    Object.keys(fresh).forEach(function (key) {
      labels[key] = text(fresh[key]);
    });
    if (lang) document.documentElement.lang = lang;
    document.title = labels.title;
    document.getElementById("chat-title").textContent = labels.title;
    document.getElementById("message-label").textContent = labels.placeholder;
    document.getElementById("attach-label").textContent = labels.attach;
    input.placeholder = labels.placeholder;
    sendButton.textContent = labels.send;
    attachButton.title = labels.attach;
    transcript.setAttribute("aria-label", labels.conversation);
    Array.prototype.forEach.call(transcript.querySelectorAll("[data-speaker]"), function (span) {
      span.textContent = labels[span.getAttribute("data-speaker")] + ": ";
    });
  }

  /* ---- talking to the server ---- */

  function postJson(body) {
    return window.fetch(API + "/messages", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  async function exchange(personEntry, request) {
    busy = true;
    refresh();
    var failure = null;
    try {
      var response = await request();
      var data = await response.json().catch(function () {
        return null;
      });
      if (!response.ok || !data || !Array.isArray(data.replies)) {
        failure = data && data.error && typeof data.error.message === "string" ? data.error.message : labels.error;
      } else {
        if (data.labels && typeof data.labels === "object") applyLabels(data.lang, data.labels);
        data.replies.filter(isReply).forEach(function (reply) {
          append({ from: "bot", reply: reply });
        });
      }
    } catch (error) {
      failure = labels.offline;
    }
    if (failure !== null) {
      if (personEntry) personEntry.failed = true;
      append({ from: "notice", text: failure });
    }
    busy = false;
    saveEntries();
    refresh();
    return failure === null;
  }

  async function sendText(message) {
    var entry = append({ from: "person", text: message });
    var ok = await exchange(entry, function () {
      return postJson({ text: message });
    });
    if (!ok && !input.value) input.value = message;
  }

  async function sendChoice(index, option) {
    if (busy) return;
    var question = entries[index];
    question.picked = option.id;
    views[index].buttons.forEach(function (button) {
      button.classList.toggle("picked", button.textContent === text(option.label));
    });
    var entry = append({ from: "person", text: option.label });
    var ok = await exchange(entry, function () {
      return postJson({ choice: option.id });
    });
    if (!ok) {
      delete question.picked;
      views[index].buttons.forEach(function (button) {
        button.classList.remove("picked");
      });
    }
    focusNewestOption();
  }

  async function sendFile(file) {
    if (maxBytes && file.size > maxBytes) {
      append({ from: "notice", text: labels.file_too_large });
      saveEntries();
      return;
    }
    var body = new FormData();
    body.append("file", file, file.name);
    var entry = append({ from: "person", file: file.name });
    await exchange(entry, function () {
      return window.fetch(API + "/files", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-Qamqor-Chat": "1" },
        body: body,
      });
    });
  }

  /* Notices and staff answers. The server repeats a message until a later poll acknowledges its key, so a lost
   * response loses nothing; a key already in the transcript is not drawn twice. */
  function shownKeys() {
    var keys = {};
    entries.forEach(function (e) {
      if (e.from === "bot" && typeof e.reply.key === "string") keys[e.reply.key] = true;
    });
    return keys;
  }

  async function poll() {
    if (busy || polling || document.hidden) return;
    polling = true;
    try {
      var query = toAcknowledge.length ? "?ack=" + encodeURIComponent(toAcknowledge.join(",")) : "";
      var response = await window.fetch(INBOX_URL + query, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { "X-Qamqor-Chat": "1" },
      });
      var data = response.ok ? await response.json() : null;
      if (data && Array.isArray(data.replies)) {
        var seen = shownKeys();
        var fresh = data.replies.filter(function (reply) {
          return isReply(reply) && !seen[reply.key];
        });
        fresh.forEach(function (reply) {
          append({ from: "bot", reply: reply });
        });
        toAcknowledge = Array.isArray(data.ack) ? data.ack.map(text) : [];
        if (fresh.length) {
          saveEntries();
          refresh();
        }
      }
    } catch (error) {
      /* offline for a moment: the next poll asks again */
    }
    polling = false;
  }

  function focusNewestOption() {
    var view = views[views.length - 1];
    if (view && view.buttons.length && !view.buttons[0].disabled) view.buttons[0].focus();
  }

  function openFilePicker() {
    if (!busy) fileInput.click();
  }

  /* ---- wiring ---- */

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, window.innerHeight * 0.3) + "px";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = input.value.trim();
    if (!message || busy) return;
    input.value = "";
    autosize();
    sendText(message);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  input.addEventListener("input", autosize);
  attachButton.addEventListener("click", openFilePicker);
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = "";
    if (file) sendFile(file);
  });

  entries.forEach(draw);
  transcript.scrollTop = transcript.scrollHeight;
  refresh();
  var greeted = entries.some(function (e) {
    return e.from === "bot";
  });
  if (!greeted) exchange(null, function () {
    return postJson({ text: "/start" });
  });
  window.setInterval(poll, POLL_MS);
})();
