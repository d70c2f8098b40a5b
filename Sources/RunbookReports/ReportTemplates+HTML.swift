extension ReportTemplates {
  /// The built-in HTML template: one file with inline CSS for screen and print, no scripts,
  /// and a Content-Security-Policy that forbids loading anything.
  public static let html = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
    <meta name="referrer" content="no-referrer">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="runbook">
    <title>{{title}} ({{outcome}})</title>
    <style>
    :root { --line: #d0d7de; --soft: #f6f8fa; --text: #1f2328; --muted: #59636e; }
    * { box-sizing: border-box; }
    body { margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: var(--text); background: #fff;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 .5rem; overflow-wrap: anywhere; }
    h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
    h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; overflow-wrap: anywhere; }
    .kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; font-size: .8rem; }
    .muted { color: var(--muted); }
    .mono, pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
    .mono { font-size: .9em; overflow-wrap: anywhere; }
    .badge { display: inline-block; padding: 0 .5rem; border: 1px solid currentColor; border-radius: 1rem;
      font-weight: 600; font-size: .85em; white-space: nowrap; }
    .s-done, .o-completed, .r-passed, .v-yes { color: #116329; background: #dafbe1; }
    .s-skipped { color: #5a32a3; background: #f5edff; }
    .s-failed, .o-failed, .r-failed, .v-no { color: #a40e26; background: #ffebe9; }
    .s-pending, .o-partial, .o-interrupted, .o-completed-with-exceptions, .r-not-run { color: #7d4e00; background: #fff8c5; }
    .outcome { font-size: 1.05rem; margin: .25rem 0 1rem; }
    progress { width: 100%; height: .6rem; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1rem 0; }
    dl.facts dt { font-weight: 600; }
    dl.facts dd { margin: 0; overflow-wrap: anywhere; }
    .notice { margin: 1rem 0; padding: .5rem .75rem; border-left: 4px solid #9a6700; background: #fff8c5; }
    .left { margin: 1.5rem 0; padding: .25rem 1rem 1rem; border: 2px solid #9a6700; border-radius: .5rem; }
    .left h2 { margin-top: .75rem; }
    table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; font-size: .92rem; }
    th, td { padding: .35rem .5rem; border: 1px solid var(--line); text-align: left; vertical-align: top;
      overflow-wrap: break-word; }
    td.cell, td.value { overflow-wrap: anywhere; }
    th { background: var(--soft); }
    td.cell, td.value, .note, .text { white-space: pre-wrap; }
    .note { margin: .25rem 0 0; color: var(--muted); }
    .secret { font-style: italic; color: var(--muted); }
    pre { margin: .5rem 0; padding: .5rem .75rem; background: var(--soft); border: 1px solid var(--line);
      border-radius: .375rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem; line-height: 1.4; }
    .ran { margin: 0 0 1.25rem; }
    svg.timeline { display: block; max-width: 100%; height: auto; margin: .5rem 0; }
    .timeline-text { font-size: .85rem; margin: .25rem 0 0; padding-left: 1.25rem; }
    .ran p { margin: .25rem 0; }
    footer { margin-top: 2.5rem; padding-top: .5rem; border-top: 1px solid var(--line); color: var(--muted);
      font-size: .85rem; }
    @media print {
      body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
      h2 { break-after: avoid; }
      h3 { break-after: avoid; }
      tr, pre, .ran, .notice { break-inside: avoid; }
      .badge, th, pre, .notice, .left { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      progress { display: none; }
    }
    </style>
    </head>
    <body>
    <header>
    <p class="kicker">Runbook report</p>
    <h1>{{title}}</h1>
    <p class="outcome"><span class="badge o-{{outcomeClass}}">{{outcome}}</span> {{progress.done}} done, {{progress.skipped}} skipped, {{progress.failed}} failed, {{progress.pending}} pending of {{progress.total}} steps ({{progress.percent}}% finished){{#progress.hasPages}} · {{progress.pagesRead}} of {{progress.pages}} reading pages read{{/progress.hasPages}}</p>
    <progress value="{{progress.percent}}" max="100">{{progress.percent}}%</progress>
    <dl class="facts">
    <dt>Runbook</dt><dd><span class="mono">{{runbook.path}}</span> <span class="muted">(id {{runbook.id}})</span></dd>
    <dt>Runbook SHA-256 followed</dt><dd class="mono">{{runbook.sha256}}</dd>
    <dt>State file</dt><dd class="mono">{{statePath}}</dd>
    {{#started}}
    <dt>Started</dt><dd>{{started}}</dd>
    {{/started}}
    {{#finished}}
    <dt>Finished</dt><dd>{{finished}}</dd>
    <dt>Duration</dt><dd>{{duration}}</dd>
    {{/finished}}
    {{^finished}}
    {{#lastActivity}}
    <dt>Last activity</dt><dd>{{lastActivity}}</dd>
    <dt>Elapsed so far</dt><dd>{{duration}}</dd>
    {{/lastActivity}}
    {{/finished}}
    <dt>Operators</dt><dd>{{operatorList}}</dd>
    <dt>Journal chain head</dt><dd><span class="mono">{{integrity.chainHead}}</span> {{#integrity.verified}}<span class="badge v-yes">verified</span>{{/integrity.verified}}{{^integrity.verified}}<span class="badge v-no">NOT verified</span>{{/integrity.verified}}</dd>
    </dl>
    {{#journalOnly}}
    <p class="notice"><strong>Note:</strong> the runbook was not found at <span class="mono">{{runbook.path}}</span>, so this report is built from the state file alone: steps are listed by id and the runbook’s tables are left out.</p>
    {{/journalOnly}}
    {{#runbook.changed}}
    <p class="notice"><strong>Note:</strong> the runbook has changed since the run followed it (it now has SHA-256 <span class="mono">{{runbook.currentSha256}}</span>); step titles and tables are from the current version.</p>
    {{/runbook.changed}}
    </header>
    <main>
    {{#hasExceptions}}
    <section id="exceptions">
    <h2>Exceptions</h2>
    <p>The run completed, but went on past these failures:</p>
    <ul>
    {{#exceptions}}
    <li>{{.}}</li>
    {{/exceptions}}
    </ul>
    </section>
    {{/hasExceptions}}
    {{#hasTimeline}}
    <section id="timeline">
    <h2>Timeline</h2>
    {{{timelineSVG}}}
    <ul class="timeline-text muted">
    {{#timelineLines}}
    <li>{{.}}</li>
    {{/timelineLines}}
    </ul>
    </section>
    {{/hasTimeline}}
    {{#remaining}}
    <section class="left" id="left">
    <h2>What is left</h2>
    {{#hasSteps}}
    <table>
    <thead><tr><th>#</th><th>Step</th><th>Status</th><th>Reason</th></tr></thead>
    <tbody>
    {{#steps}}
    <tr><td>{{label}}</td><td>{{title}}</td><td><span class="badge s-{{status}}">{{status}}</span></td><td class="text">{{reason}}</td></tr>
    {{/steps}}
    </tbody>
    </table>
    {{/hasSteps}}
    {{#hasMissingInputs}}
    <p>Inputs still needed:</p>
    <ul>
    {{#missingInputs}}
    <li>{{label}} <span class="muted mono">({{id}})</span></li>
    {{/missingInputs}}
    </ul>
    {{/hasMissingInputs}}
    {{#hasFailedChecks}}
    <p>Failed checks:</p>
    {{#failedChecks}}
    <div class="ran">
    <p>Step {{stepLabel}}{{#stepTitle}} ({{stepTitle}}){{/stepTitle}}, {{at}}, {{by}}: <span class="badge r-failed">failed</span> {{reason}}</p>
    <pre class="command">{{command}}</pre>
    {{#hasOutput}}
    <pre class="output">{{output}}</pre>
    {{/hasOutput}}
    </div>
    {{/failedChecks}}
    {{/hasFailedChecks}}
    <p>To resume:</p>
    <pre class="resume">{{resumeCommand}}</pre>
    </section>
    {{/remaining}}
    <section id="steps">
    <h2>Steps</h2>
    {{#hasSteps}}
    <table>
    <thead><tr><th>#</th><th>Step</th><th>Status</th><th>By</th><th>When</th><th>Time taken</th><th>Reason and notes</th></tr></thead>
    <tbody>
    {{#steps}}
    <tr><td>{{label}}</td><td>{{title}}</td><td><span class="badge s-{{status}}">{{status}}</span></td><td>{{by}}</td><td>{{at}}</td><td>{{duration}}</td><td><span class="text">{{reason}}</span>{{#notes}}<p class="note">Note: {{.}}</p>{{/notes}}</td></tr>
    {{/steps}}
    </tbody>
    </table>
    {{/hasSteps}}
    {{^hasSteps}}
    <p>The runbook has no steps.</p>
    {{/hasSteps}}
    </section>
    <section id="inputs">
    <h2>Inputs</h2>
    {{#hasInputs}}
    <table>
    <thead><tr><th>Input</th><th>Id</th><th>Value</th><th>Given by</th></tr></thead>
    <tbody>
    {{#inputs}}
    <tr><td>{{label}}</td><td class="mono">{{id}}</td><td class="value">{{#secret}}<span class="secret">{{#provided}}{{value}}{{/provided}}{{^provided}}not given{{/provided}}</span>{{/secret}}{{^secret}}{{#provided}}{{value}}{{/provided}}{{^provided}}<span class="muted">not given</span>{{/provided}}{{/secret}}{{#derived}} <span class="muted">(derived)</span>{{/derived}}{{#changed}}<div class="note">changed; earlier: {{#earlier}}<span class="mono">{{value}}</span> by {{by}} at {{at}}; {{/earlier}}</div>{{/changed}}</td><td>{{by}}</td></tr>
    {{/inputs}}
    </tbody>
    </table>
    {{/hasInputs}}
    {{^hasInputs}}
    <p>No inputs.</p>
    {{/hasInputs}}
    </section>
    {{#hasTables}}
    <section id="tables">
    <h2>Tables, with the values filled in</h2>
    {{#tables}}
    <h3>{{location}}</h3>
    <table class="filled">
    <thead><tr>{{#header}}<th>{{.}}</th>{{/header}}</tr></thead>
    <tbody>
    {{#rows}}
    <tr>{{#cells}}<td class="cell">{{.}}</td>{{/cells}}</tr>
    {{/rows}}
    </tbody>
    </table>
    {{/tables}}
    </section>
    {{/hasTables}}
    <section id="checks">
    <h2>Checks and commands</h2>
    {{#hasRan}}
    {{#ran}}
    <div class="ran">
    <h3>{{number}}. {{kind}} in step {{stepLabel}}: <span class="badge{{#passed}} r-passed{{/passed}}{{#failed}} r-failed{{/failed}}{{#notRun}} r-not-run{{/notRun}}">{{result}}</span></h3>
    <p class="muted">{{#stepTitle}}{{stepTitle}} · {{/stepTitle}}{{#exitStatus}}exit status {{exitStatus}}{{/exitStatus}}{{^exitStatus}}no exit status{{/exitStatus}}{{#duration}} · {{duration}}{{/duration}} · {{by}} · {{at}}{{#reason}} · {{reason}}{{/reason}}</p>
    <pre class="command">{{command}}</pre>
    {{#hasOutput}}
    <p>Output{{#truncated}} (last {{outputLines}} lines){{/truncated}}:</p>
    <pre class="output">{{output}}</pre>
    {{/hasOutput}}
    </div>
    {{/ran}}
    {{/hasRan}}
    {{^hasRan}}
    <p>No checks or commands ran.</p>
    {{/hasRan}}
    </section>
    {{#hasNotes}}
    <section id="notes">
    <h2>Notes</h2>
    <ul>
    {{#notes}}
    <li>{{at}}, {{by}}{{#stepLabel}}, step {{stepLabel}}{{/stepLabel}}: <span class="text">{{text}}</span></li>
    {{/notes}}
    </ul>
    </section>
    {{/hasNotes}}
    <section id="integrity">
    <h2>Tamper evidence</h2>
    <dl class="facts">
    <dt>Chain head</dt><dd class="mono">{{integrity.chainHead}}</dd>
    {{#integrity.verified}}
    <dt>Hash chain</dt><dd><span class="badge v-yes">verified</span> {{integrity.events}} events</dd>
    {{/integrity.verified}}
    {{^integrity.verified}}
    <dt>Hash chain</dt><dd><span class="badge v-no">NOT verified</span> {{integrity.problem}}</dd>
    {{/integrity.verified}}
    {{#integrity.warnings}}
    <dt>Warning</dt><dd>{{.}}</dd>
    {{/integrity.warnings}}
    </dl>
    <p>Each line of the state file records the SHA-256 of the line before it, so changing, removing or reordering any line but the last breaks the chain; <code>runbook verify</code> names the line. The chain head (the SHA-256 of the last line) vouches for the last line only if it is kept somewhere else: record it in the ticket.</p>
    </section>
    {{#hasWarnings}}
    <section id="warnings">
    <h2>Warnings</h2>
    <ul>
    {{#warnings}}
    <li>{{.}}</li>
    {{/warnings}}
    </ul>
    </section>
    {{/hasWarnings}}
    </main>
    <footer>Generated by runbook from <span class="mono">{{statePath}}</span>.</footer>
    </body>
    </html>
    """#
}
