// Live updates of a run's page: while the run is RUNNING, the page's
// <main> carries data-live="/api/runs/<id>"; poll it every second and swap
// the parts the server rendered (header, graph, task table, task panel)
// that changed, then stop once the run has ended. No inline script: the
// page's Content-Security-Policy allows scripts from this origin only.
(function () {
  "use strict";
  var main = document.querySelector("main[data-live]");
  if (!main || !window.fetch) {
    return;
  }
  var url = main.getAttribute("data-live");
  var parts = { header: "run-header", dag: "dag", tasks: "tasks", panel: "panel" };

  var shown = {};

  function swap(run) {
    Object.keys(parts).forEach(function (key) {
      var element = document.getElementById(parts[key]);
      // The graph's frame reloads only when its address (which names the
      // tasks' states) changes.
      if (element && typeof run[key] === "string" && run[key] !== shown[key]) {
        element.innerHTML = run[key];
        shown[key] = run[key];
      }
    });
  }

  function poll() {
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (run) {
        if (run) {
          swap(run);
          if (run.finished) {
            main.removeAttribute("data-live");
            main.setAttribute("data-ended", run.state);
            return;
          }
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 2000);
      });
  }

  window.setTimeout(poll, 1000);
})();
