// `disposable-app forms preview` only: reloads the page when a form file of the folder changes.
// The preview server puts this script in every page it shows, with the folder's version the page
// was made from (data-version) and the address that shows it again (data-page: a page answering a
// post is shown again without posting). Without the script, a manual reload shows the new version.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.version) return;
  var shown = script.dataset.version;
  var versionURL = script.dataset.versionUrl || "/preview/version";

  function check() {
    fetch(versionURL, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : shown; })
      .then(function (version) {
        if (version.trim() !== shown) {
          if (script.dataset.page) {
            window.location.replace(script.dataset.page);
          } else {
            window.location.reload();
          }
        } else {
          window.setTimeout(check, 1000);
        }
      })
      // The preview server stopped or restarts: keep asking.
      .catch(function () { window.setTimeout(check, 1000); });
  }
  window.setTimeout(check, 1000);
})();
