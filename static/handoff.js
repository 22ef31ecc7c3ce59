/* The staff member's handoff page: follows the signing on the other device until it is done. */
(function () {
  "use strict";
  var box = document.getElementById("status");
  if (!box) { return; }
  var open = { waiting: true, partly_signed: true };
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        document.getElementById("state-label").textContent = s.state_label;
        var items = document.querySelectorAll("#signers li");
        s.signers.forEach(function (signer, i) {
          if (!items[i]) { return; }
          items[i].querySelector(".name").textContent = signer.name || "Pracownik ośrodka";
          var badge = items[i].querySelector(".state");
          badge.textContent = signer.signed ? "podpisano" : "czeka";
          badge.className = signer.signed ? "state done" : "state";
        });
        var qr = box.querySelector(".qr");
        if (qr && s.link_opened) {  // claimed: the code is spent, so it leaves the screen too
          var note = document.createElement("p");
          note.className = "flash info";
          note.textContent = "Link został otwarty na urządzeniu do podpisu.";
          qr.replaceWith(note);
        }
        if (s.state === "complete") { document.getElementById("result").hidden = false; }
        if (open[s.state]) { setTimeout(poll, 3000); }
      })
      .catch(function () { setTimeout(poll, 10000); });
  }
  if (open[box.dataset.state]) { setTimeout(poll, 3000); }
})();
