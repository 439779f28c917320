/// The dashboard's two HTML documents, embedded so mock-api stays one binary. Everything on them is built by
/// /dashboard/assets/app.js from the JSON endpoints; data is only ever inserted as text, never as markup.
extension DashboardAssets {
    static let loginPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>vconnector dashboard: sign in</title><link rel="stylesheet" href="/dashboard/assets/app.css"></head>
        <body><main class="login">
        <h1>vconnector dashboard</h1>
        <p>Sign in with an API token of your account (a read token is enough).</p>
        <!--error-->
        <form method="post" action="/dashboard/login">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" required autofocus>
        <button type="submit">Sign in</button>
        </form>
        <p class="hint">Scripts can open <code>/?token=TOKEN</code>: the token is exchanged for a session cookie and removed from the address bar.</p>
        </main></body></html>
        """

    static let appPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>vconnector dashboard</title><link rel="stylesheet" href="/dashboard/assets/app.css">
        <script src="/dashboard/assets/app.js" defer></script></head>
        <body>
        <header><nav aria-label="main"><a href="#/">Fleet</a></nav>
        <form method="post" action="/dashboard/logout"><button type="submit">Sign out</button></form></header>
        <main id="main" aria-live="polite"><p>Loading…</p></main>
        </body></html>
        """
}
