/// The dashboard's style sheet: readable at 1280x800 and at phone width; status is shown by word and symbol, not
/// colour alone.
enum DashboardAssets {
    static let style = """
        :root { font-family: system-ui, sans-serif; color: #1b1f24; background: #fafafa; }
        body { margin: 0; }
        header { display: flex; justify-content: space-between; align-items: center; padding: .5rem 1rem; background: #24323f; }
        header a, header button { color: #fff; font-size: 1rem; }
        header button { background: none; border: 1px solid #fff; border-radius: 4px; padding: .25rem .6rem; cursor: pointer; }
        main { padding: 1rem; max-width: 1400px; margin: 0 auto; }
        .login { max-width: 26rem; margin-top: 4rem; }
        .login input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; margin: .25rem 0 .75rem; }
        .error { color: #a00; font-weight: bold; }
        .counts { display: flex; gap: 1rem; flex-wrap: wrap; padding: 0; list-style: none; }
        .counts li { background: #fff; border: 1px solid #ccd; border-radius: 6px; padding: .5rem 1rem; }
        .counts strong { font-size: 1.5rem; display: block; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e3e8; font-size: .9rem; }
        th button { font: inherit; font-weight: bold; background: none; border: none; cursor: pointer; padding: 0; }
        .status-online { color: #0a6b2a; } .status-stale { color: #8a5a00; } .status-offline { color: #a00; }
        .filters { display: flex; gap: .75rem; flex-wrap: wrap; margin: .75rem 0; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 1rem; }
        .chart { background: #fff; border: 1px solid #ccd; border-radius: 6px; padding: .5rem; }
        .chart-box { position: relative; height: 200px; }
        .layout { display: grid; grid-template-columns: 3fr 1fr; gap: 1rem; }
        .events { list-style: none; padding: 0; max-height: 70vh; overflow: auto; }
        .events li { border-left: 3px solid #24323f; padding: .2rem .5rem; margin-bottom: .3rem; background: #fff; }
        .windows button[aria-pressed="true"] { font-weight: bold; text-decoration: underline; }
        details > table { margin-top: .3rem; }
        svg.topology { width: 100%; max-width: 1000px; height: auto; background: #fff; border: 1px solid #ccd; border-radius: 6px; }
        pre { background: #fff; border: 1px solid #ccd; padding: .5rem; overflow: auto; max-height: 40vh; }
        a:focus, button:focus, input:focus, select:focus { outline: 3px solid #2b7bd6; outline-offset: 1px; }
        /* Nothing wider than the screen: grid items may shrink below their content, ids break anywhere, charts
           follow their box, and a wide table scrolls inside itself rather than the page sideways. */
        .layout > *, .charts > * { min-width: 0; }
        h1, h2, code, a { overflow-wrap: anywhere; }
        canvas { max-width: 100%; }
        @media (max-width: 700px) {
            .layout { grid-template-columns: 1fr; }
            .charts { grid-template-columns: 1fr; }
            .hide-narrow { display: none; }
            table { display: block; max-width: 100%; overflow-x: auto; }
        }
        """
}
