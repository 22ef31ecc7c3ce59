/* The signing page: signature_pad on a canvas that fills its frame, undo/clear, checks before «Podpisz». */
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

  var empty = document.getElementById("pad-empty");
  pad.addEventListener("beginStroke", function () { empty.hidden = true; });
  document.getElementById("pad-clear").addEventListener("click", function () { pad.clear(); });
  document.getElementById("pad-undo").addEventListener("click", function () {
    var data = pad.toData();
    data.pop();
    pad.fromData(data);
  });

  var button = document.getElementById("sign-button");
  form.addEventListener("submit", function (e) {
    var optional = button.dataset.optional === "true";
    if (pad.isEmpty()) {
      if (!optional) {
        e.preventDefault();
        empty.hidden = false;
        canvas.focus();
        return;
      }
      form.elements.signature.value = "";
      form.elements.strokes.value = "";
    } else {
      form.elements.signature.value = pad.toDataURL("image/png");
      form.elements.strokes.value = JSON.stringify(pad.toData());
    }
    form.elements.pixel_ratio.value = String(ratio);
    button.disabled = true;  // one press, one signature
    button.textContent = "Podpisywanie…";
  });
})();
// Back from the browser's page cache: the button must work again.
window.addEventListener("pageshow", function () {
  var button = document.getElementById("sign-button");
  if (button) { button.disabled = false; button.textContent = "Podpisz"; }
});
