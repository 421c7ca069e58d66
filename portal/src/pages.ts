/** The portal's HTML: server-rendered shells, every text from data escaped, scripts from files only (the CSP forbids inline ones). */

export const escapeHtml = (text: string): string =>
    text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&#39;");

const TITLE = "Agency IT Scorecard";

function layout(options: {
    title: string;
    body: string; /** In order; classic scripts are deferred, so they run in document order with the modules. */
    scripts?: Array<{ src: string; module: boolean }>;
    csrf?: string;
    mode: "powerbi" | "demo";
}): string {
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.csrf ? `<meta name="csrf-token" content="${escapeHtml(options.csrf)}">` : ""}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/portal.css">
<title>${escapeHtml(options.title)}</title>
</head>
<body class="ais-${options.mode}">
${options.body}
${(options.scripts ?? []).map((script) => `<script ${script.module ? 'type="module"' : "defer"} src="${escapeHtml(script.src)}"></script>`).join("\n")}
</body>
</html>
`;
}

const signOutForm = (csrf: string) => `<form method="post" action="/auth/signout" class="ais-signout">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<button type="submit">Sign out</button>
</form>`;

/** The agency head's page: the header is filled in by the page script from the embed-token answer. */
export function reportPage(options: { userName: string; agencies: string[]; csrf: string }): string {
    return layout({
        mode: "powerbi",
        title: TITLE,
        csrf: options.csrf,
        scripts: [{ src: "/assets/embed.js", module: true }],
        body: `<header class="ais-header">
<div class="ais-titles">
<h1>${escapeHtml(options.agencies.join(", "))}</h1>
<p class="ais-sub">${TITLE} · <span id="ais-as-of">Data as of …</span></p>
</div>
<div class="ais-user"><span>${escapeHtml(options.userName)}</span>${signOutForm(options.csrf)}</div>
</header>
<div id="ais-message" class="ais-message" role="alert" hidden></div>
<main id="ais-report" class="ais-report" aria-label="Agency IT Scorecard report"></main>`,
    });
}

/** A plain page with a heading, a message and, when signed in, the sign-out. */
export function messagePage(options: {
    heading: string;
    message: string;
    csrf?: string;
    link?: { href: string; text: string };
}): string {
    return layout({
        mode: "powerbi",
        title: `${options.heading} · ${TITLE}`,
        csrf: options.csrf,
        body: `<header class="ais-header"><div class="ais-titles"><h1>${escapeHtml(options.heading)}</h1><p class="ais-sub">${TITLE}</p></div>
${options.csrf ? `<div class="ais-user">${signOutForm(options.csrf)}</div>` : ""}</header>
<main class="ais-plain"><p>${escapeHtml(options.message)}</p>
${options.link ? `<p><a href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.text)}</a></p>` : ""}</main>`,
    });
}

/** The local demo: a picker of the sample's agency heads over the packaged visual; it says it is not Power BI. */
export function demoPage(users: string[]): string {
    return layout({
        mode: "demo",
        title: `Demo · ${TITLE}`,
        // The harness defines window.aisCreateHarness; the visual registers itself on window.powerbi (set by demo-host.js first).
        scripts: [
            { src: "/assets/demo-host.js", module: false },
            { src: "/assets/visual.js", module: false },
            { src: "/assets/harness.js", module: true },
            { src: "/assets/demo.js", module: true },
        ],
        body: `<div class="ais-demo-banner" role="note"><strong>Demo on the sample data, not Power BI.</strong>
The packaged visual runs in the project's preview host, filtered by connector/sample/agency_access.csv the way the model's Agency role filters it. No one signs in and nothing is sent to Microsoft.</div>
<header class="ais-header">
<div class="ais-titles">
<h1 id="ais-agency">…</h1>
<p class="ais-sub">${TITLE} · <span id="ais-as-of">Data as of …</span></p>
</div>
<div class="ais-user"><label for="ais-user">Show the report as</label>
<select id="ais-user">${users.map((user) => `<option value="${escapeHtml(user)}">${escapeHtml(user)}</option>`).join("")}</select></div>
</header>
<div id="ais-message" class="ais-message" role="alert" hidden></div>
<link rel="stylesheet" href="/assets/visual.css">
<main class="ais-report ais-demo-frame"><div id="ais-visual"></div></main>`,
    });
}
