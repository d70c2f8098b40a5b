import Mustache

/// The page templates (Mustache). Every `{{value}}` is escaped per Unicode scalar by
/// ``ScalarHTML`` (the templates select it with their first line); `{{{fragment}}}` is used only
/// for HTML the web module built itself from escaped parts (``ContentHTML``, ``RunDocument``).
enum WebTemplates {
  /// The content type every template declares: ``HTMLText/escape(_:)``.
  struct ScalarHTML: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLText.escape(text) }
  }

  static let contentTypeName = "RUNBOOK_HTML"

  /// The compiled templates; compiling registers the content type with swift-mustache (its
  /// registry is the library's, keyed by name; registering again replaces it with the same).
  static func load() -> MustacheLibrary {
    MustacheContentTypes.register(ScalarHTML(), named: contentTypeName)
    var library = MustacheLibrary()
    for (name, text) in sources {
      // The templates are part of the program: a syntax error is a bug that tests catch.
      try! library.register("{{% CONTENT_TYPE: \(contentTypeName)}}" + text, named: name)
    }
    return library
  }

  static let sources: [(String, String)] = [
    ("layout", layout), ("dashboard", dashboard), ("operator", operatorPage), ("failure", failure),
    ("run", run), ("prompt", prompt),
  ]

  static let layout = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · runbook</title>
    <link rel="stylesheet" href="/static/app.css">
    <script src="/static/app.js" defer></script>
    </head>
    <body{{#bodyData}} data-run="{{run}}" data-seq="{{seq}}" data-csrf="{{csrf}}" data-live="{{live}}"{{/bodyData}}>
    <header class="top"><a class="home" href="/">runbook</a>{{#operator}}<span class="who">{{operator}}</span>{{/operator}}</header>
    {{#message}}<p class="message" role="status">{{message}}</p>{{/message}}
    <main id="main">
    {{{body}}}
    </main>
    </body>
    </html>
    """

  static let dashboard = """
    <h1>Runbooks</h1>
    {{#hasGuides}}
    <table class="list">
    <thead><tr><th>Runbook</th><th>Steps</th><th>Problems</th><th></th></tr></thead>
    <tbody>
    {{#guides}}
    <tr>
    <td><strong>{{title}}</strong><br><code>{{path}}</code></td>
    <td>{{steps}}</td>
    <td>{{#failure}}<span class="bad">{{failure}}</span>{{/failure}}{{^problems}}{{^failure}}none{{/failure}}{{/problems}}
    {{#hasProblems}}<details><summary>{{errors}} errors, {{warnings}} warnings, {{notes}} notes</summary><ul class="problems">{{#problems}}<li class="{{severity}}">{{line}}:{{column}} {{severity}}: {{message}} <code>{{code}}</code></li>{{/problems}}</ul></details>{{/hasProblems}}</td>
    <td>{{#runnable}}<form method="post" action="/runs"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="guide" value="{{key}}"><button>Start a new run</button></form>{{/runnable}}</td>
    </tr>
    {{/guides}}
    </tbody>
    </table>
    {{/hasGuides}}
    {{^guides}}<p>No runbooks (<code>*.md</code>) in the folders served.</p>{{/guides}}
    <h2>Runs</h2>
    {{#hasRuns}}
    <table class="list runs">
    <thead><tr><th>Run</th><th>Outcome</th><th>Progress</th><th>Operators</th><th>Last activity</th><th>Live</th></tr></thead>
    <tbody>
    {{#runs}}
    <tr>
    <td><a href="/runs/{{key}}">{{title}}</a><br><code>{{path}}</code></td>
    <td><span class="outcome {{outcome}}">{{outcome}}</span></td>
    <td><meter min="0" max="100" value="{{percent}}">{{percent}}%</meter> {{done}} of {{total}}</td>
    <td>{{operators}}</td>
    <td>{{lastActivity}}</td>
    <td>{{live}}</td>
    </tr>
    {{/runs}}
    </tbody>
    </table>
    {{/hasRuns}}
    {{^runs}}<p>No runs yet.</p>{{/runs}}
    """

  static let operatorPage = """
    <h1>Who is running this?</h1>
    <p>Your name is recorded with every answer you give, as in the state file of a terminal run.</p>
    <form method="post" action="/operator" class="operator">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <input type="hidden" name="next" value="{{next}}">
    <label for="name">Your name</label>
    <input id="name" name="name" required maxlength="100" autocomplete="name" value="{{name}}">
    <button>Continue</button>
    </form>
    """

  static let failure = """
    <h1>{{status}}</h1>
    <p class="bad">{{message}}</p>
    {{#hasDetails}}<ul>{{#details}}<li>{{.}}</li>{{/details}}</ul>{{/hasDetails}}
    <p><a href="/">Back to the runbooks</a></p>
    """

  static let run = """
    <div class="run">
    <nav class="rail" aria-label="Steps">
    <p class="rail-title">{{done}} of {{total}} steps</p>
    <meter min="0" max="100" value="{{percent}}">{{percent}}%</meter>
    <ol>{{#rail}}<li class="{{status}}{{#current}} current{{/current}}"><a href="#step-{{id}}">{{number}} {{title}}</a></li>{{/rail}}</ol>
    </nav>
    <article class="doc">
    <h1>{{title}}</h1>
    <p class="meta"><code>{{path}}</code> · <span class="outcome {{outcome}}">{{outcome}}</span>{{#operators}} · {{operators}}{{/operators}}</p>
    <section class="status" id="run-status">
    {{#drivenHere}}<p>You are driving this run as <strong>{{driver}}</strong>.</p>
    <form method="post" action="/runs/{{key}}/answer" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="action" value="quit"><button class="secondary">Save and leave</button></form>{{/drivenHere}}
    {{#drivenByOther}}<p class="readonly">Live, driven in this server by <strong>{{drivenByOther}}</strong>: read-only here.</p>
    <form method="post" action="/runs/{{key}}/resume" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="take" value="1"><button class="secondary">Take over</button></form>{{/drivenByOther}}
    {{#heldElsewhere}}<p class="readonly">Live in a terminal: held by <strong>{{heldElsewhere}}</strong>. Read-only here; it updates as they go.</p>{{/heldElsewhere}}
    {{#resumable}}<form method="post" action="/runs/{{key}}/resume" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button>Resume this run here</button></form>{{/resumable}}
    {{#noGuide}}<p class="bad">{{noGuide}}</p>{{/noGuide}}
    {{#busy}}<p class="busy">{{busy}}</p>{{/busy}}
    <pre class="output live" id="live-output"{{^output}} hidden{{/output}}>{{output}}</pre>
    <p class="reports">Report: <a href="/runs/{{key}}/report.html">HTML</a> · <a href="/runs/{{key}}/report.md">Markdown</a> · <a href="/runs/{{key}}/report.json">JSON</a></p>
    </section>
    {{{startPrompt}}}
    {{{document}}}
    </article>
    </div>
    """

  /// The controls of the prompt the run is at, placed in the step it concerns.
  static let prompt = """
    <div class="prompt" id="prompt" data-prompt="{{key}}">
    {{#problem}}<p class="problem" role="alert">{{problem}}</p>{{/problem}}
    {{#precondition}}
    <form method="post" action="{{action}}"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}">
    <p>Precondition {{number}} of {{count}}: is this true?</p>
    <button name="action" value="acknowledge">Yes, it is</button></form>
    {{/precondition}}
    {{#hasInputs}}
    <form method="post" action="{{action}}" class="inputs" autocomplete="off"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}"><input type="hidden" name="action" value="values">
    {{#inputs}}
    <div class="field">
    <label for="input-{{id}}">{{label}}{{#secret}} <span class="hint">(secret: never shown or stored)</span>{{/secret}}</label>
    {{#help}}<p class="help">{{help}}</p>{{/help}}
    {{#hasChoices}}<select id="input-{{id}}" name="input.{{id}}">{{#choices}}<option>{{.}}</option>{{/choices}}</select>{{/hasChoices}}
    {{^choices}}<input id="input-{{id}}" name="input.{{id}}" type="{{type}}" value="{{value}}" {{#example}}placeholder="{{example}}"{{/example}}{{#first}} autofocus{{/first}}>{{/choices}}
    {{#example}}<p class="help">Example: <code>{{example}}</code></p>{{/example}}
    </div>
    {{/inputs}}
    <button>Save</button>
    </form>
    {{/hasInputs}}
    {{#rows}}
    <form method="post" action="{{action}}" id="confirm-rows"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}">
    <p>Tick each row of the table above once it is set, then confirm.</p>
    <button name="action" value="confirm-rows">Confirm ticked rows</button> <button name="action" value="confirm-all" class="secondary">Confirm all rows</button>
    </form>
    {{/rows}}
    {{#command}}
    <form method="post" action="{{action}}" data-live="1"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}">
    <p>Run this command now?</p><pre class="command-text"><code>{{command}}</code></pre>
    <button name="action" value="run">Run</button> <button name="action" value="not-now" class="secondary">Not now (don't run it)</button>
    </form>
    {{/command}}
    {{#check}}
    <form method="post" action="{{action}}" data-live="1"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}">
    <p>The check of this step runs next.</p><button name="action" value="run">Run the check</button>
    </form>
    {{/check}}
    {{#checkFailed}}
    <div class="check-failed"><p class="bad">The check failed: {{reason}}</p>{{#output}}<pre class="output"><code>{{output}}</code></pre>{{/output}}</div>
    <form method="post" action="{{action}}" data-live="1"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}"><button name="action" value="retry">Retry the check</button></form>
    {{/checkFailed}}
    {{#finish}}
    {{#warning}}<p class="problem">{{warning}}</p>
    <form method="post" action="{{action}}" class="despite"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}">
    <label for="despite">Done anyway because</label> <input id="despite" name="reason" required maxlength="2000"> <button name="action" value="done-despite" class="done">Done anyway</button></form>{{/warning}}
    {{^warning}}<form method="post" action="{{action}}"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}"><button name="action" value="done" class="done">{{#toSubSteps}}Go on to its sub-steps{{/toSubSteps}}{{^toSubSteps}}Done{{/toSubSteps}}</button></form>{{/warning}}
    {{/finish}}
    {{#readPage}}
    <form method="post" action="{{action}}"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}">
    <p>Read this part of the guide, then go on.</p><button name="action" value="acknowledge" class="done">Continue</button></form>
    {{/readPage}}
    {{#finished}}
    <form method="post" action="{{action}}"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}"><p>Every step is finished.</p><button name="action" value="done">Complete the run</button></form>
    {{/finished}}
    {{#step}}
    <details class="more"><summary>{{^readPage}}Skip, {{/readPage}}back, note</summary>
    {{^readPage}}<form method="post" action="{{action}}" class="skip"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}">
    <label for="reason">Skip this step because</label> <input id="reason" name="reason" required maxlength="2000"> <button name="action" value="skip" class="secondary">Skip the step</button></form>{{/readPage}}
    <form method="post" action="{{action}}" class="note"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}">
    <label for="note">Note for the report</label> <input id="note" name="text" required maxlength="4000"> <button name="action" value="note" class="secondary">Add the note</button></form>
    <form method="post" action="{{action}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="prompt" value="{{key}}"><button name="action" value="back" class="secondary">Back to the previous {{#readPage}}stop{{/readPage}}{{^readPage}}step{{/readPage}}</button></form>
    {{#hasChangeable}}<form method="post" action="{{action}}" class="change"><input type="hidden" name="csrf" value="{{csrf}}">
    <label for="change-input">Change an answer</label> <select id="change-input" name="input">{{#changeable}}<option value="{{id}}">{{label}}</option>{{/changeable}}</select>
    <input name="text" required maxlength="16384" aria-label="new value"> <button name="action" value="change" class="secondary">Change it</button>
    <span class="hint">The steps that used it open again.</span></form>{{/hasChangeable}}
    </details>
    {{/step}}
    </div>
    """
}
