// Follows a running import over server-sent events, and shows its
// results once it has finished.
(function () {
  var el = document.getElementById("progress");
  if (!el) { return; }
  var src = new EventSource(el.dataset.events);
  src.onmessage = function (m) {
    var e = JSON.parse(m.data);
    document.getElementById("done-rows").textContent = e.rows.toLocaleString();
    document.getElementById("done-failed").textContent = e.failed.toLocaleString();
    var share = e.size > 0 ? Math.min(100, Math.floor(100 * e.done / e.size)) : 0;
    document.getElementById("done-share").textContent = share + "%";
    document.getElementById("bar").value = share;
    document.getElementById("line").textContent = e.line;
    document.getElementById("pace").textContent = e.pace ? "iLMS: " + e.pace : "";
    if (e.finished) { src.close(); window.location.reload(); }
  };
})();
