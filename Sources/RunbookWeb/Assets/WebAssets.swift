/// The page's script and style sheet, served as static files (`/static/app.js`,
/// `/static/app.css`) so the Content-Security-Policy can forbid inline script and style. The
/// pages work without the script: it only adds live updates.
enum WebAssets {
  static let script = #"""
    // runbook serve: live updates for a run page. Without this script every page still works
    // (plain forms, POST then redirect); with it, the page follows the run as events arrive.
    (function () {
      "use strict";
      var body = document.body;
      var run = body.dataset.run;
      if (!run) { return; }
      var current = document.querySelector(".rail li.current");
      if (current) { current.scrollIntoView({ block: "nearest" }); }
      var dirty = false;
      var submitting = false;
      var timer = null;

      document.addEventListener("input", function () { dirty = true; });

      function appendOutput(text) {
        var out = document.getElementById("live-output");
        if (!out) { return; }
        out.hidden = false;
        out.textContent += text;
        out.scrollTop = out.scrollHeight;
      }

      function stale() {
        if (document.getElementById("stale")) { return; }
        var note = document.createElement("p");
        note.id = "stale";
        note.className = "message";
        note.textContent = "The run has changed since this page was shown: reload to see it (what you typed is not saved yet).";
        var main = document.getElementById("main");
        main.insertBefore(note, main.firstChild);
      }

      function refresh() {
        if (submitting) { return; }
        if (dirty) { stale(); return; }
        fetch(location.pathname, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            if (html === null || dirty || submitting) { return; }
            var next = new DOMParser().parseFromString(html, "text/html");
            var main = next.getElementById("main");
            if (!main) { return; }
            document.getElementById("main").replaceWith(document.adoptNode(main));
            body.dataset.seq = next.body.dataset.seq || body.dataset.seq;
          })
          .catch(function () {});
      }

      function later() {
        if (timer) { clearTimeout(timer); }
        timer = setTimeout(refresh, 100);
      }

      var source = new EventSource("/runs/" + run + "/events?after=" + (body.dataset.seq || "0"));
      source.addEventListener("journal", later);
      source.addEventListener("changed", later);
      source.addEventListener("output", function (event) {
        try { appendOutput(JSON.parse(event.data).text); } catch (e) {}
      });

      // Commands and checks: submit in the background so their output shows as it streams,
      // then show where the run is.
      document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!form.dataset || !form.dataset.live) { return; }
        event.preventDefault();
        submitting = true;
        var data = new URLSearchParams(new FormData(form, event.submitter));
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
        var out = document.getElementById("live-output");
        if (out) { out.textContent = ""; out.hidden = false; }
        // getAttribute: the form's "action" field hides the form's action property.
        fetch(form.getAttribute("action"), {
          method: "POST", body: data, credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded" }
        }).then(function (response) {
          location.assign(response.url || location.href);
        }).catch(function () { location.reload(); });
      });
    })();
    """#

  static let styleSheet = """
    :root { --ink: #1d2430; --muted: #5b6575; --line: #d8dde5; --done: #1a7f37; --failed: #c62828;
      --pending: #9a6700; --skipped: #6f42c1; --accent: #0b5cad; --bg: #fbfcfd; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
    header.top { display: flex; justify-content: space-between; padding: .6rem 1.2rem; background: #1d2430; color: #fff; }
    header.top a { color: #fff; font-weight: 600; text-decoration: none; }
    main { padding: 1rem 1.5rem 4rem; max-width: 80rem; margin: 0 auto; }
    .message { background: #fff8e1; border: 1px solid #f0c36d; padding: .5rem .8rem; border-radius: 4px; }
    table.list { border-collapse: collapse; width: 100%; margin: 1rem 0; }
    table { border-collapse: collapse; }
    th, td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
    th { background: #eef1f5; }
    code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; }
    pre { background: #f1f3f6; padding: .6rem .8rem; overflow-x: auto; border-radius: 4px; white-space: pre-wrap; }
    .run { display: grid; grid-template-columns: 16rem 1fr; gap: 1.5rem; }
    .rail { position: sticky; top: .5rem; align-self: start; max-height: 95vh; overflow-y: auto; font-size: .88rem; }
    .rail ol { list-style: none; padding: 0; margin: .5rem 0; }
    .rail li { padding: .15rem .4rem; border-left: 3px solid var(--line); }
    .rail li.done { border-color: var(--done); }
    .rail li.skipped { border-color: var(--skipped); }
    .rail li.failed { border-color: var(--failed); }
    .rail li.current { background: #e7f0fb; font-weight: 600; }
    .rail a { color: inherit; text-decoration: none; }
    meter { width: 100%; }
    ol.steps { padding-left: 0; list-style: none; }
    li.step { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 4px; background: #fff;
      padding: .6rem .9rem; margin: .8rem 0; }
    li.step.done { border-left-color: var(--done); }
    li.step.skipped { border-left-color: var(--skipped); }
    li.step.failed { border-left-color: var(--failed); }
    li.step.current { border-left-color: var(--accent); box-shadow: 0 0 0 2px #cfe0f5; }
    .step-head .number { font-weight: 700; margin-right: .3rem; }
    .step-head .title { font-weight: 600; }
    .badge { font-size: .85rem; padding: .05rem .4rem; border-radius: 3px; margin-left: .4rem; }
    .badge.done, .done > p { color: var(--done); }
    .badge.skipped { color: var(--skipped); }
    .badge.failed, .bad, .problem { color: var(--failed); }
    .problem { font-weight: 600; }
    .prompt { border-top: 1px dashed var(--line); margin-top: .6rem; padding-top: .6rem; }
    .field { margin: .5rem 0 .8rem; }
    .field label { display: block; font-weight: 600; }
    .field input, .field select { width: 100%; max-width: 40rem; padding: .35rem; font: inherit; }
    .help, .hint, .by, .meta { color: var(--muted); font-size: .9rem; margin: .1rem 0; }
    button { font: inherit; padding: .3rem .9rem; border-radius: 4px; border: 1px solid var(--accent);
      background: var(--accent); color: #fff; cursor: pointer; }
    button.secondary { background: #fff; color: var(--accent); }
    button.done { background: var(--done); border-color: var(--done); }
    form.inline { display: inline; }
    .note { border-left: 4px solid #6b8ab8; background: #f4f7fb; padding: .3rem .8rem; margin: .6rem 0; }
    .note-tip { border-color: var(--done); } .note-caution, .note-warning { border-color: #d4a72c; background: #fffbea; }
    .note-danger { border-color: var(--failed); background: #fff4f4; } .note-important { border-color: var(--skipped); }
    .note-title { margin: .2rem 0; }
    .ran { margin: .3rem 0; } .ran.failed p { color: var(--failed); } .ran.done p { color: var(--done); }
    .value { background: #e7f0fb; border-radius: 2px; }
    .readonly { background: #eef1f5; padding: .4rem .7rem; border-radius: 4px; }
    .busy { font-weight: 600; color: var(--accent); }
    .output { max-height: 20rem; overflow-y: auto; }
    img { max-width: 100%; }
    .raw, .address { color: var(--muted); }
    .outcome.completed { color: var(--done); } .outcome.failed { color: var(--failed); } .outcome.partial { color: var(--pending); }
    @media (max-width: 50rem) { .run { grid-template-columns: 1fr; } .rail { position: static; max-height: none; } }
    """
}
