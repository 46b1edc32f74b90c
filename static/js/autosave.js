// Saves a questionnaire section in the background as the lead answers, so
// that nothing typed is lost to a link, a language switch or a closed tab.
//
// It posts the whole form, as "Save" would, to the same URL with the header
// X-Requested-With: fetch, and reads JSON back (assessments/views.py):
// 200 {saved_at_label}, 400 {errors} shown next to the fields, 401 signed out
// (the server keeps the answers until sign-in), 409 the cycle is closed.
// Every word shown comes translated from the page's data- attributes.
// Without this script the page's buttons save as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) {
    return;
  }
  var signedOutBox = document.getElementById("autosave-signed-out");
  // Not form.action: the buttons named "action" shadow it.
  var url = form.getAttribute("action") || window.location.pathname + window.location.search;
  var TYPING_DELAY = 1200;
  var CHOICE_DELAY = 250;
  var RETRY_DELAY = 10000;

  var version = 0; // bumped by every change
  var savedVersion = 0; // the last version the server stored
  var keptVersion = -1; // the last version the server kept while signed out
  var timer = null;
  var inFlight = false;
  var again = false;
  var stopped = false; // the cycle closed: nothing more can be saved
  var submitting = false;
  var leavingToSignIn = false;
  var csrfRetried = false;
  var clears = {}; // "clear-<key>" fields to post until saved
  var idleTimer = null;

  function say(text) {
    status.textContent = text;
  }

  function text(name, values) {
    var template = status.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      template = template.split("{" + key + "}").join(values[key]);
    });
    return template;
  }

  function unsaved() {
    return version !== savedVersion;
  }

  function changed(delay) {
    version += 1;
    csrfRetried = false;
    if (stopped) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function messagesOf(errors, name) {
    return ((errors && errors[name]) || [])
      .map(function (error) {
        return error.message;
      })
      .join(" ");
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (box) {
      var name = box.getAttribute("data-error-for");
      var messages = (errors[name] || []).map(function (error) {
        return error.message;
      });
      var field = form.querySelector('[name="' + name + '"]');
      box.textContent = messages.join(" ");
      box.hidden = messages.length === 0;
      if (field && field.tagName === "TEXTAREA") {
        field.classList.toggle("is-invalid", messages.length > 0);
        if (messages.length) {
          field.setAttribute("aria-invalid", "true");
          field.setAttribute("aria-describedby", box.id);
        } else {
          field.removeAttribute("aria-invalid");
          field.removeAttribute("aria-describedby");
        }
      }
    });
  }

  function refreshToken() {
    // After a sign-in in another tab the form's CSRF token is stale: ask the
    // page for the current one, once, then save again.
    return fetch(url, {
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        if (body.csrf_token) {
          form.querySelector("[name=csrfmiddlewaretoken]").value = body.csrf_token;
          return true;
        }
        return false;
      })
      .catch(function () {
        return false;
      });
  }

  function handle(response, body, sending, sentClears) {
    if (response.status === 200 && body) {
      savedVersion = Math.max(savedVersion, sending);
      sentClears.forEach(function (name) {
        delete clears[name];
      });
      showErrors({});
      signedOutBox.hidden = true;
      say(text("saved", { time: body.saved_at_label }));
      restartIdleTimer(body.session_warn_after);
    } else if (response.status === 400 && body) {
      showErrors(body.errors || {});
      say(messagesOf(body.errors, "__all__") || text("invalid"));
    } else if (response.status === 401) {
      keptVersion = body && body.kept ? sending : keptVersion;
      signedOutBox.hidden = false;
      say(text("signed-out"));
    } else if (response.status === 409 && body) {
      stopped = true;
      say(messagesOf(body.errors, "__all__"));
    } else if (response.status === 403 && !csrfRetried) {
      csrfRetried = true;
      return refreshToken().then(function (fresh) {
        if (fresh) {
          again = true;
        } else {
          say(text("expired"));
        }
      });
    } else {
      say(text("expired"));
    }
    return null;
  }

  function save(keepalive) {
    window.clearTimeout(timer);
    timer = null;
    if (stopped || submitting) {
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    var data = new FormData(form);
    var sentClears = Object.keys(clears);
    sentClears.forEach(function (name) {
      data.append(name, "1");
    });
    var sending = version;
    inFlight = true;
    again = false;
    say(text("saving"));
    fetch(url, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      credentials: "same-origin",
      keepalive: keepalive === true,
    })
      .then(function (response) {
        return response.json().then(
          function (body) {
            return handle(response, body, sending, sentClears);
          },
          function () {
            return handle(response, null, sending, sentClears);
          },
        );
      })
      .catch(function () {
        say(text("offline"));
        timer = window.setTimeout(save, RETRY_DELAY);
      })
      .then(function () {
        inFlight = false;
        if (again || (version > sending && !timer && version !== savedVersion)) {
          save();
        }
      });
  }

  function restartIdleTimer(seconds) {
    // From the page, then from each save: the server knows when the session ends.
    var warnAfter = Number(seconds);
    window.clearTimeout(idleTimer);
    if (!(warnAfter >= 0)) {
      return;
    }
    // setTimeout holds at most about 24 days.
    idleTimer = window.setTimeout(
      function () {
        say(status.getAttribute("data-session-ending"));
      },
      Math.min(warnAfter * 1000, 2147483647),
    );
  }

  // The note counter: "1,980 of 2,000 characters", announced once typing
  // pauses near or over the limit. Line breaks count as one, as stored.
  var numbers = null;
  try {
    numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  } catch (error) {
    numbers = null;
  }
  function number(value) {
    return numbers ? numbers.format(value) : String(value);
  }
  function updateCounter(note, announce) {
    var counter = document.getElementById(note.id + "-count");
    var max = Number(note.getAttribute("data-max-length"));
    if (!counter || !max) {
      return;
    }
    var count = Array.from(note.value.trim()).length;
    var over = count - max;
    var template = form.getAttribute(over > 0 ? "data-note-over" : "data-note-count") || "";
    counter.textContent = template
      .split("{count}")
      .join(number(count))
      .split("{max}")
      .join(number(max))
      .split("{over}")
      .join(number(over));
    counter.hidden = false;
    counter.classList.toggle("text-danger", over > 0);
    counter.setAttribute("aria-live", announce && count >= max * 0.9 ? "polite" : "off");
  }
  var counterTimers = {};
  form.querySelectorAll("textarea[data-max-length]").forEach(function (note) {
    updateCounter(note, false);
    note.addEventListener("input", function () {
      updateCounter(note, false);
      window.clearTimeout(counterTimers[note.id]);
      counterTimers[note.id] = window.setTimeout(function () {
        updateCounter(note, true);
      }, 800);
    });
  });

  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      changed(TYPING_DELAY);
    }
  });
  form.addEventListener("change", function (event) {
    var field = event.target;
    if (field.type === "radio") {
      delete clears["clear-" + field.name.slice("answer-".length)];
    }
    changed(CHOICE_DELAY);
  });

  form.querySelectorAll("[data-clear-answer]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var name = button.getAttribute("data-clear-answer");
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (radio) {
        radio.checked = false;
      });
      clears[button.name] = true;
      changed(CHOICE_DELAY);
    });
  });

  form.addEventListener("submit", function () {
    // The buttons save as without this script; a cleared choice is not posted
    // by the browser, so post its clear field along.
    submitting = true;
    window.clearTimeout(timer);
    Object.keys(clears).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = "1";
      form.appendChild(input);
    });
  });

  if (signedOutBox) {
    signedOutBox.addEventListener("click", function () {
      // The server holds everything typed until sign-in: no warning then.
      leavingToSignIn = !inFlight && !timer && keptVersion === version;
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (submitting || leavingToSignIn) {
      return;
    }
    if (timer) {
      save(true); // send what is pending; it completes even if the page goes
    }
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  restartIdleTimer(status.getAttribute("data-session-warn-after"));
})();
