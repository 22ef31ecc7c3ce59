/* The signing page: signature_pad on a canvas that fills its frame, undo/clear, checks before «Podpisz».

   A refused step never loses the drawing: the checks the server makes first (statement ticked,
   enough strokes; signatures/capture.py, thresholds given in the form's data-* attributes) run here
   before sending, and what the server still refuses comes back with the strokes, redrawn. Either
   way the message stands next to the pad or the box, is announced (role="alert"), and the page
   scrolls to it with focus on the field (WCAG 2.1, 3.3.1 error identification, 2.4.3 focus order). */
(function () {
  "use strict";
  var form = document.getElementById("sign-form");
  var canvas = document.getElementById("pad");
  if (!form || !canvas || typeof SignaturePad === "undefined") { return; }
  document.getElementById("warn-script").hidden = true;

  var pad = new SignaturePad(canvas, {
    penColor: "rgb(15, 30, 90)", minWidth: 1.2, maxWidth: 3.2, backgroundColor: "rgba(0,0,0,0)"
  });
  var ratio = 1;

  // The canvas bitmap must match its size on screen times the pixel ratio, or strokes come out
  // blurred and offset; a resize (rotating the tablet) redraws the strokes from their data.
  function fit() {
    var data = pad.toData();
    ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = Math.round(canvas.offsetWidth * ratio);
    canvas.height = Math.round(canvas.offsetHeight * ratio);
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (data.length) { pad.fromData(data); }
  }
  window.addEventListener("resize", fit);
  fit();

  if (form.dataset.restore) {
    try { pad.fromData(JSON.parse(form.dataset.restore)); } catch (e) { /* draw again */ }
  }

  // Switching the page's language is a new page load: the drawing and the tick of this signer's
  // step are carried over in this tab's sessionStorage (the step's address and position as its
  // key, read once and deleted), so a family member who changes the language need not sign again.
  var readBox = form.elements.read_confirmed;
  var carryKey = "asysta-step:" + location.pathname + ":" + (form.elements.position ? form.elements.position.value : "");
  function storage() { try { return window.sessionStorage; } catch (e) { return null; } }
  var store = storage();
  if (store) {
    var carried = store.getItem(carryKey);
    Object.keys(store).forEach(function (key) { if (key.indexOf("asysta-step:") === 0) { store.removeItem(key); } });
    if (carried && !form.dataset.restore) {
      try {
        carried = JSON.parse(carried);
        if (carried.strokes && carried.strokes.length) { pad.fromData(carried.strokes); }
        if (carried.read && readBox) { readBox.checked = true; }
      } catch (e) { /* draw again */ }
    }
    document.querySelectorAll("nav.languages a").forEach(function (link) {
      link.addEventListener("click", function () {
        try {
          store.setItem(carryKey, JSON.stringify({ strokes: pad.toData(), read: !!(readBox && readBox.checked) }));
        } catch (e) { /* storage full or refused: the language still changes */ }
      });
    });
  }

  // iPadOS Scribble and the magnifier take pencil strokes away from the page unless touches on
  // the canvas are claimed (signature_pad issue 518); the warning tells how to switch it off.
  ["touchstart", "touchmove"].forEach(function (type) {
    canvas.addEventListener(type, function (e) { e.preventDefault(); }, { passive: false });
  });
  var iPad = /iPad/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  document.getElementById("warn-scribble").hidden = !iPad;

  // Anti-fingerprinting (Firefox resistFingerprinting, Tor, some extensions) returns blank or
  // noisy pixels from a canvas: a signature would arrive empty. Detect it and say so.
  function canvasReadable() {
    try {
      var probe = document.createElement("canvas");
      probe.width = probe.height = 4;
      var ctx = probe.getContext("2d");
      ctx.fillStyle = "rgb(10, 200, 30)";
      ctx.fillRect(0, 0, 4, 4);
      var px = ctx.getImageData(1, 1, 1, 1).data;
      return px[0] === 10 && px[1] === 200 && px[2] === 30 && px[3] === 255;
    } catch (e) { return false; }
  }
  document.getElementById("warn-canvas").hidden = canvasReadable();

  var padField = document.getElementById("pad-field");
  var padError = document.getElementById("pad-error");
  var readField = document.getElementById("read-field");
  var readError = document.getElementById("read-error");

  // Shows `text` at a field (or hides it when text is empty); returns nothing.
  function mark(field, message, control, text) {
    message.textContent = text || "";
    message.hidden = !text;
    field.classList.toggle("has-error", !!text);
    if (text) { control.setAttribute("aria-invalid", "true"); } else { control.removeAttribute("aria-invalid"); }
  }
  // Brings a refused field into view and gives it focus, so it is seen and heard at once.
  function show(field, control) {
    field.scrollIntoView({ block: "center" });
    control.focus({ preventScroll: true });
  }

  pad.addEventListener("endStroke", function () { mark(padField, padError, canvas, ""); });
  readBox.addEventListener("change", function () { if (readBox.checked) { mark(readField, readError, readBox, ""); } });
  document.getElementById("pad-clear").addEventListener("click", function () { pad.clear(); });
  document.getElementById("pad-undo").addEventListener("click", function () {
    var data = pad.toData();
    data.pop();
    pad.fromData(data);
  });

  // The server's first check of the strokes (capture._strokes_large_enough), in CSS pixels.
  function tooSmall() {
    var xs = [], ys = [];
    pad.toData().forEach(function (group) {
      group.points.forEach(function (p) { xs.push(p.x); ys.push(p.y); });
    });
    if (xs.length < Number(form.dataset.minPoints)) { return true; }
    var wide = Math.max.apply(null, xs) - Math.min.apply(null, xs);
    var high = Math.max.apply(null, ys) - Math.min.apply(null, ys);
    return wide < Number(form.dataset.minWidth) * canvas.offsetWidth &&
           high < Number(form.dataset.minHeight) * canvas.offsetHeight;
  }

  var button = document.getElementById("sign-button");
  form.addEventListener("submit", function (e) {
    var optional = button.dataset.optional === "true";
    var padProblem = "";
    if (pad.isEmpty()) {
      if (!optional) { padProblem = canvas.dataset.empty; }
    } else if (tooSmall()) {
      padProblem = form.dataset.tooSmall;
    }
    var readProblem = readBox.checked ? "" : form.dataset.readRequired;
    mark(padField, padError, canvas, padProblem);
    mark(readField, readError, readBox, readProblem);
    if (readProblem || padProblem) {
      e.preventDefault();
      if (readProblem) { show(readField, readBox); } else { show(padField, canvas); }
      return;
    }
    if (pad.isEmpty()) {
      form.elements.signature.value = "";
      form.elements.strokes.value = "";
    } else {
      form.elements.signature.value = pad.toDataURL("image/png");
      form.elements.strokes.value = JSON.stringify(pad.toData());
    }
    form.elements.pixel_ratio.value = String(ratio);
    button.disabled = true;  // one press, one signature
    button.textContent = form.dataset.busy;
  });

  // Refused by the server: to the first field with a message, in the order of the form.
  var refused = form.querySelector(".has-error");
  if (refused) {
    var control = refused === padField ? canvas : refused.querySelector("input:not([type=hidden])");
    if (control) { show(refused, control); }
  }
})();
// Back from the browser's page cache: the button must work again.
window.addEventListener("pageshow", function () {
  var button = document.getElementById("sign-button");
  var form = document.getElementById("sign-form");
  if (button && form) { button.disabled = false; button.textContent = form.dataset.label; }
});
