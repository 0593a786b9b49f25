/*
 * Warns before a staff session ends for inactivity (#12 item 4). The body carries data-session-url (the session
 * page), data-session-seconds (the idle timeout) and data-session-warning-seconds. Shortly before the end this
 * asks the server how long is left (another tab may have been active: asking does not count as activity); when
 * the warning time has come it shows a Dutch notice with "Blijf ingelogd", which renews the session with a POST.
 * At the end it loads the page again, so the server shows the login page with its notice.
 * Without JavaScript the session simply expires. No inline script: the Content-Security-Policy forbids it.
 */
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-session-url");
  if (!url || !window.fetch) return;
  var warning = parseInt(body.getAttribute("data-session-warning-seconds"), 10) || 120;
  var timer = null;
  var notice = null;

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function minutesText(seconds) {
    var minutes = Math.max(1, Math.ceil(seconds / 60));
    return minutes === 1 ? "1 minuut" : minutes + " minuten";
  }

  function hide() {
    if (notice) {
      notice.parentNode.removeChild(notice);
      notice = null;
    }
  }

  function show(seconds) {
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "utrecht-alert utrecht-alert--warning app-session-warning";
      notice.setAttribute("role", "alert");
      notice.id = "session-warning";
      var text = document.createElement("p");
      text.className = "utrecht-paragraph";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "utrecht-button utrecht-button--primary-action utrecht-button--html-button";
      button.textContent = "Blijf ingelogd";
      button.addEventListener("click", stay);
      notice.appendChild(text);
      notice.appendChild(button);
      var main = document.getElementById("main") || body;
      main.insertBefore(notice, main.firstChild);
    }
    notice.firstChild.textContent =
      "U heeft een tijd niets gedaan. Over " + minutesText(seconds) + " wordt u uitgelogd.";
  }

  function expire() {
    window.location.assign(window.location.href);
  }

  function schedule(secondsLeft) {
    window.clearTimeout(timer);
    if (secondsLeft <= 0) {
      expire();
    } else if (secondsLeft > warning) {
      hide();
      timer = window.setTimeout(check, (secondsLeft - warning) * 1000);
    } else {
      show(secondsLeft);
      timer = window.setTimeout(check, Math.min(secondsLeft, 30) * 1000);
    }
  }

  function answer(response) {
    return response.ok ? response.json() : { seconds_left: 0 };
  }

  function check() {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(answer)
      .then(function (data) {
        schedule(data.seconds_left);
      })
      .catch(function () {
        timer = window.setTimeout(check, 30000);
      });
  }

  function stay() {
    window
      .fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      })
      .then(answer)
      .then(function (data) {
        schedule(data.seconds_left);
      });
  }

  schedule(parseInt(body.getAttribute("data-session-seconds"), 10) || 1200);
})();
