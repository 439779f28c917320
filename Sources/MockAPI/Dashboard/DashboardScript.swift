/// The dashboard's script: hash routes (#/, #/connector/ID, #/site/ID), polling with ETags every 10 s, charts with
/// Chart.js (each with a data table beside it: the accessible form, and what the browser test reads).
extension DashboardAssets {
    static let script = #"""
        'use strict';
        const API = '/dashboard/api';
        const cache = new Map();
        let pollTimer = null, charts = [], pending = [];

        function el(tag, attrs, ...kids) {
            const node = document.createElement(tag);
            for (const [k, v] of Object.entries(attrs || {})) {
                if (v === undefined || v === null) continue;
                if (k.startsWith('on')) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
            }
            for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid instanceof Node ? kid : String(kid));
            return node;
        }
        function svg(tag, attrs, text) {
            const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
            for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
            if (text !== undefined) node.textContent = text;
            return node;
        }
        // GET with the last ETag; a 304 answers from the cache. Returns [data, changed].
        async function get(path) {
            const held = cache.get(path);
            const response = await fetch(API + path, { credentials: 'same-origin', headers: held ? { 'If-None-Match': held.tag } : {} });
            if (response.status === 304 && held) return [held.data, false];
            if (response.status === 401) { location.href = '/'; throw new Error('signed out'); }
            const body = await response.json();
            if (!body.success) throw new Error((body.errors[0] || {}).message || response.statusText);
            cache.set(path, { tag: response.headers.get('ETag'), data: body.result });
            return [body.result, true];
        }
        const fmtTime = t => t ? new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '-';
        const ago = s => s === null || s === undefined ? 'never' : s < 90 ? Math.round(s) + ' s ago' : s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
        const SYMBOL = { online: '\u25CF online', stale: '\u25D0 stale', offline: '\u25CB offline' };
        const enc = encodeURIComponent;
        // Series differ by colour and by dash pattern, so they stay apart without colour vision.
        const PALETTE = ['#1f6fb2', '#c2571a', '#2e8540', '#8e3b9e', '#a3292f', '#5b6770'];
        const DASHES = [[], [6, 3], [2, 2], [10, 3, 2, 3], [1, 4], [12, 4]];

        function setMain(...kids) {
            charts.forEach(c => c.destroy());
            const main = document.getElementById('main');
            main.replaceChildren(...kids);
            charts = pending.map(make => make());
            pending = [];
        }
        function poll(fn) { clearInterval(pollTimer); pollTimer = setInterval(() => fn(false).catch(showError), 10000); }
        function showError(error) { document.getElementById('main').prepend(el('p', { class: 'error', role: 'alert' }, String(error.message || error))); }

        // Fleet
        const PAGE = 500;
        const fleetState = { sort: 'id', dir: 1, text: '', status: '', limit: PAGE };
        const COLUMNS = [['id', 'Connector'], ['status', 'Status'], ['version', 'Version'], ['activated', 'Activated'],
            ['siteName', 'Site'], ['haRole', 'HA role'], ['tunnels', 'Tunnels'], ['lastSnapshot', 'Last snapshot']];
        async function fleetPage(first) {
            const [fleet, changed] = await get('/fleet');
            if (!first && !changed) return;
            const counts = el('ul', { class: 'counts', id: 'counts' },
                el('li', {}, el('strong', {}, fleet.connectors.length), 'connectors'),
                ...['online', 'stale', 'offline'].map(s => el('li', { class: 'status-' + s, 'data-status': s }, el('strong', {}, fleet.counts[s] || 0), SYMBOL[s])));
            const text = el('input', { type: 'search', id: 'filter', placeholder: 'id, site, version', 'aria-label': 'Filter connectors', value: fleetState.text });
            const status = el('select', { id: 'status-filter', 'aria-label': 'Status' }, el('option', { value: '' }, 'any status'),
                ...['online', 'stale', 'offline'].map(s => el('option', { value: s }, s)));
            status.value = fleetState.status;
            const table = el('table', { id: 'fleet' }), moreBox = el('p', {});
            const render = () => {
                const q = fleetState.text.toLowerCase();
                const rows = fleet.connectors.filter(c => (!fleetState.status || c.status === fleetState.status) &&
                    (!q || [c.id, c.siteName, c.version].some(v => v && v.toLowerCase().includes(q))));
                const key = fleetState.sort, dir = fleetState.dir;
                rows.sort((a, b) => { const x = a[key] ?? '', y = b[key] ?? ''; return (x < y ? -1 : x > y ? 1 : 0) * dir; });
                const head = el('tr', {}, COLUMNS.map(([k, label]) => el('th', { scope: 'col', class: ['version', 'activated', 'tunnels'].includes(k) ? 'hide-narrow' : null,
                    'aria-sort': k === key ? (dir > 0 ? 'ascending' : 'descending') : 'none' },
                    el('button', { type: 'button', onclick: () => { fleetState.dir = fleetState.sort === k ? -fleetState.dir : 1; fleetState.sort = k; render(); } }, label))));
                const body = document.createElement('tbody');
                // The DOM holds a page of rows (sorting and filtering see them all): 10,000 rows would cost
                // seconds of layout for rows nobody scrolls to.
                const shown = rows.slice(0, fleetState.limit);
                for (const c of shown) {
                    body.append(el('tr', { 'data-connector': c.id },
                        el('td', {}, el('a', { href: '#/connector/' + enc(c.id) }, c.id)),
                        el('td', { class: 'status-' + c.status }, SYMBOL[c.status] || c.status),
                        el('td', { class: 'hide-narrow' }, c.version || '-'),
                        el('td', { class: 'hide-narrow' }, c.activated ? 'yes' : 'no'),
                        el('td', {}, c.siteId ? el('a', { href: '#/site/' + enc(c.siteId) }, c.siteName || c.siteId) : '-'),
                        el('td', {}, c.haRole + (c.haState ? ' (' + c.haState + ')' : '')),
                        el('td', { class: 'hide-narrow' }, c.tunnels ? (c.tunnels - c.tunnelsUnhealthy) + '/' + c.tunnels + ' healthy' : '-'),
                        el('td', {}, c.lastSnapshot ? fmtTime(c.lastSnapshot) : 'none')));
                }
                const more = rows.length > shown.length ? el('button', { type: 'button', id: 'more', onclick: () => { fleetState.limit += PAGE; render(); } },
                    'Show ' + Math.min(PAGE, rows.length - shown.length) + ' more') : null;
                table.replaceChildren(el('caption', {}, shown.length + ' of ' + rows.length + ' matching shown (' + fleet.connectors.length + ' in all)'), el('thead', {}, head), body);
                moreBox.replaceChildren(...(more ? [more] : []));
            };
            text.addEventListener('input', () => { fleetState.text = text.value; fleetState.limit = PAGE; render(); });
            status.addEventListener('change', () => { fleetState.status = status.value; fleetState.limit = PAGE; render(); });
            render();
            setMain(el('h1', {}, 'Fleet'), counts, el('div', { class: 'filters' }, text, status), table, moreBox);
            document.body.dataset.ready = 'fleet'; markLayout();
            // For `scripts/bench-dashboard`: time from navigation start to the rendered table.
            if (first) document.body.dataset.renderMs = String(Math.round(performance.now()));
        }

        // Chart.js (195 KB) is loaded by the pages with charts only, so the fleet page does not wait for it.
        let chartLoading = null;
        function loadChart() {
            if (!chartLoading) chartLoading = new Promise(resolve => {
                const script = el('script', { src: '/dashboard/assets/chart.js' });
                script.addEventListener('load', resolve);
                script.addEventListener('error', resolve);  // without it the data tables still show every number
                document.head.append(script);
            });
            return chartLoading;
        }

        // Charts: Chart.js when it loaded, and always a data table.
        function chart(id, title, unit, datasets) {
            const canvas = el('canvas', { role: 'img', 'aria-label': title });
            const table = el('table', { class: 'chart-data', 'data-series': id },
                el('thead', {}, el('tr', {}, el('th', {}, 'time'), datasets.map(d => el('th', {}, d.label + (unit ? ' (' + unit + ')' : ''))))),
                el('tbody', {}, (datasets[0] ? datasets[0].points : []).map((p, i) => el('tr', {}, el('td', {}, fmtTime(p.x)),
                    datasets.map(d => el('td', {}, d.points[i] && d.points[i].y !== null ? +d.points[i].y.toFixed(3) : '-'))))));
            const box = el('section', { class: 'chart', id: 'chart-' + id, 'data-points': datasets.reduce((n, d) => n + d.points.filter(p => p.y !== null).length, 0) },
                el('h3', {}, title), el('div', { class: 'chart-box' }, canvas), el('details', {}, el('summary', {}, 'Data'), table));
            // Made once the canvas is in the document: Chart.js sizes it from its container.
            if (window.Chart) {
                pending.push(() => new Chart(canvas, { type: 'line', data: { datasets: datasets.map((d, i) => ({ label: d.label, data: d.points, pointRadius: 0, borderWidth: 2, spanGaps: false,
                    borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], borderDash: DASHES[i % DASHES.length] })) },
                    options: { animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
                        scales: { x: { type: 'linear', ticks: { callback: v => new Date(v * 1000).toISOString().slice(11, 16), maxTicksLimit: 6 } },
                                  y: { beginAtZero: true, title: { display: !!unit, text: unit } } } } }));
            }
            return box;
        }
        const pts = (rows, key) => rows.map(r => ({ x: r.t, y: r[key] ?? null }));
        function byName(rows, nameKey, key) {
            const groups = new Map();
            for (const r of rows) { if (!groups.has(r[nameKey])) groups.set(r[nameKey], []); groups.get(r[nameKey]).push({ x: r.t, y: r[key] ?? null }); }
            return [...groups].map(([label, points]) => ({ label, points }));
        }

        let connectorWindow = '1h';
        async function connectorPage(id, first) {
            const q = '?window=' + connectorWindow;
            await loadChart();
            const [[series, c1], [events, c2], [latest, c3]] = await Promise.all([
                get('/connectors/' + enc(id) + '/series' + q), get('/connectors/' + enc(id) + '/events' + q), get('/connectors/' + enc(id) + '/latest')]);
            if (!first && !c1 && !c2 && !c3) return;
            const p = series.points, mb = 1 / 1048576;
            const scaled = (key, f) => p.map(r => ({ x: r.t, y: r[key] === null || r[key] === undefined ? null : r[key] * f }));
            const windows = el('div', { class: 'windows', role: 'group', 'aria-label': 'Window' }, ['15m', '1h', '24h', '7d'].map(w =>
                el('button', { type: 'button', 'aria-pressed': String(w === connectorWindow), onclick: () => { connectorWindow = w; connectorPage(id, true).catch(showError); } }, w)));
            const grid = el('div', { class: 'charts' },
                chart('cpu', 'CPU utilisation', '%', [{ label: 'busy', points: pts(p, 'cpuUtilisation') }]),
                chart('memory', 'Memory', 'MiB', [{ label: 'used', points: scaled('memoryUsedBytes', mb) }, { label: 'available', points: scaled('memoryAvailableBytes', mb) }, { label: 'swap used', points: scaled('swapUsedBytes', mb) }]),
                chart('psi', 'Pressure (10 s)', '%', [['cpu some', 'cpuSome10s'], ['io some', 'ioSome10s'], ['io full', 'ioFull10s'], ['memory some', 'memorySome10s'], ['memory full', 'memoryFull10s']].map(([label, k]) => ({ label, points: pts(p, k) }))),
                chart('load', 'Load average', '', [['1 min', 'load1m'], ['5 min', 'load5m'], ['15 min', 'load15m']].map(([label, k]) => ({ label, points: pts(p, k) }))),
                chart('disk', 'Disk IO', 'MiB/s', [{ label: 'read', points: scaled('diskReadBytesPerSecond', mb) }, { label: 'written', points: scaled('diskWriteBytesPerSecond', mb) }]),
                chart('throughput-rx', 'Receive per interface', 'bit/s', byName(series.interfaces, 'name', 'recvBitsPerSecond')),
                chart('throughput-tx', 'Transmit per interface', 'bit/s', byName(series.interfaces, 'name', 'sentBitsPerSecond')),
                chart('errors', 'Interface errors', '/s', byName(series.interfaces, 'name', 'errorsPerSecond')),
                chart('leases', 'DHCP leases', '', [{ label: 'leases', points: pts(p, 'dhcpLeases') }]),
                chart('tunnel-health', 'Tunnel health', '', byName(series.tunnels, 'tunnelId', 'healthValue')),
                chart('tunnel-mtu', 'Tunnel probed MTU', 'bytes', byName(series.tunnels, 'tunnelId', 'probedMtu')));
            const timeline = el('ol', { class: 'events', id: 'events', 'aria-label': 'Events' }, events.map(e =>
                el('li', { 'data-kind': e.k }, el('time', {}, fmtTime(e.t)), ' ', el('strong', {}, e.k), e.detail && e.detail !== '{}' ? el('div', { class: 'hint' }, e.detail) : null)));
            const rows = latest ? Object.entries(latest).filter(([, v]) => v === null || typeof v !== 'object')
                .map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, String(v)))) : [];
            const lists = latest ? Object.entries(latest).filter(([, v]) => Array.isArray(v))
                .map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v.length + ' item(s): ' + v.map(x => x.name || x.tunnel_id || x.ip_address || x.label || '').filter(Boolean).join(', ')))) : [];
            setMain(el('h1', {}, 'Connector ', el('code', {}, id)), windows,
                el('div', { class: 'layout' }, grid, el('section', {}, el('h2', {}, 'Events (' + events.length + ')'), timeline)),
                el('h2', {}, 'Latest snapshot', latest ? ' at ' + fmtTime(latest.t) : ': none yet'),
                el('table', { id: 'latest' }, el('tbody', {}, rows, lists)));
            document.body.dataset.ready = 'connector'; markLayout();
        }

        // Site: topology drawing and the applied config.
        async function sitePage(id, first) {
            await loadChart();
            const [config, changed] = await get('/sites/' + enc(id));
            if (!first && !changed) return;
            const site = config.site, wans = config.wans || [], lans = config.lans || [], acls = config.acls || [];
            let tunnels = [], series = null;
            if (site.connector_id) {
                try { tunnels = ((await get('/connectors/' + enc(site.connector_id) + '/latest'))[0] || {}).tunnels || []; } catch (e) { }
                try { series = (await get('/connectors/' + enc(site.connector_id) + '/series?window=1h'))[0]; } catch (e) { }
            }
            const width = Math.max(900, 220 * Math.max(lans.length, wans.length + 1)), height = 520;
            const drawing = svg('svg', { class: 'topology', id: 'topology', viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': 'topology-title' });
            drawing.append(svg('title', { id: 'topology-title' }, 'Topology of site ' + (site.name || id)));
            const defs = svg('defs');
            const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
            marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#24323f' })); defs.append(marker); drawing.append(defs);
            const box = (x, y, w, h, lines, cls, fill) => {
                const g = svg('g', { class: cls });
                g.append(svg('rect', { x, y, width: w, height: h, rx: 8, fill: fill || '#eef2f7', stroke: '#24323f' }));
                lines.forEach((line, i) => g.append(svg('text', { x: x + 8, y: y + 18 + i * 16, 'font-size': i ? 12 : 14, 'font-weight': i ? 'normal' : 'bold' }, line)));
                drawing.append(g); return { x: x + w / 2, top: y, bottom: y + h, left: x, right: x + w };
            };
            const line = (x1, y1, x2, y2, extra) => drawing.append(svg('line', Object.assign({ x1, y1, x2, y2, stroke: '#24323f', 'stroke-width': 1.5 }, extra || {})));
            const edge = box(width / 2 - 110, 10, 220, 44, ['Cloudflare edge', tunnels.length + ' tunnel(s)'], 'edge', '#fdf1e6');
            const ha = !!site.secondary_connector_id;
            const conn = box(width / 2 - 150, 200, 300, ha ? 62 : 46,
                ha ? ['HA pair', 'primary ' + site.connector_id, 'secondary ' + site.secondary_connector_id] : ['Connector', site.connector_id || 'none'], 'connector', '#e7f4ea');
            tunnels.forEach((t, i) => {
                const x = conn.x - 60 + i * 30;
                line(x, conn.top, edge.x - 40 + i * 20, edge.bottom, { 'stroke-dasharray': t.health_state === 'healthy' ? '' : '6 4' });
                drawing.append(svg('text', { x: x + 4, y: 120 + i * 14, 'font-size': 11 }, (t.tunnel_id || '?') + ': ' + t.health_state + (t.probed_mtu ? ' mtu ' + t.probed_mtu : '')));
            });
            wans.slice().sort((a, b) => (a.priority || 0) - (b.priority || 0)).forEach((w, i) => {
                const b = box(10 + i * 200, 80, 180, 60, ['WAN ' + (w.name || w.id), 'port ' + w.physport + (w.vlan_tag ? ' vlan ' + w.vlan_tag : '') + ' prio ' + (w.priority ?? 0),
                    (w.static_addressing && w.static_addressing.address) || 'DHCP'], 'wan', '#eef2f7');
                line(b.x, b.bottom, conn.x, conn.top);
            });
            const lanPos = new Map();
            lans.forEach((l, i) => {
                const s = l.static_addressing || {}, d = s.dhcp_server, r = s.dhcp_relay;
                const b = box(10 + i * (width - 20) / Math.max(lans.length, 1), 360, Math.min(200, (width - 40) / Math.max(lans.length, 1)), 76,
                    ['LAN ' + (l.name || l.id), (s.address || 'no static address') + (l.vlan_tag ? ' vlan ' + l.vlan_tag : ''),
                     d ? 'DHCP ' + d.dhcp_pool_start + '-' + d.dhcp_pool_end : r ? 'DHCP relay' : 'no DHCP', 'port ' + l.physport], 'lan', '#f3eefa');
                line(b.x, b.top, conn.x, conn.bottom);
                lanPos.set(l.id, b); if (l.name) lanPos.set(l.name, b);
            });
            acls.forEach((a, i) => {
                const from = lanPos.get((a.lan_1 || {}).lan_id) || lanPos.get((a.lan_1 || {}).lan_name);
                const to = lanPos.get((a.lan_2 || {}).lan_id) || lanPos.get((a.lan_2 || {}).lan_name);
                if (!from || !to) return;
                const y = 450 + i * 16, mid = (from.x + to.x) / 2;
                drawing.append(svg('path', { d: 'M' + from.x + ',' + from.bottom + ' Q' + mid + ',' + (y + 40) + ' ' + to.x + ',' + to.bottom, fill: 'none', stroke: '#24323f',
                    'marker-end': 'url(#arrow)', 'marker-start': a.unidirectional ? '' : 'url(#arrow)', class: 'acl' }));
                drawing.append(svg('text', { x: mid - 60, y: y + 26, 'font-size': 12 }, 'ACL ' + (a.name || a.id) + ': ' + (a.protocols || []).join('/') +
                    ((a.lan_2 || {}).ports && a.lan_2.ports.length ? ' ' + a.lan_2.ports.join(',') : '') + (a.unidirectional ? ' (one way)' : '')));
            });
            const de = series ? chart('delta-epsilon', 'delta / epsilon', '', [{ label: 'delta', points: pts(series.points, 'delta') }, { label: 'epsilon', points: pts(series.points, 'epsilon') }]) : el('p', {}, 'No connector telemetry yet.');
            setMain(el('h1', {}, 'Site ', site.name || id), el('p', {}, site.description || ''), drawing,
                el('div', { class: 'charts' }, de), el('h2', {}, 'Applied config'), el('pre', { id: 'config' }, JSON.stringify(config, null, 2)));
            document.body.dataset.ready = 'site'; markLayout();
        }

        // Which layout the width chose, and whether the page fits it without scrolling sideways (the browser
        // test reads both, at 1280x800 and at a phone's width).
        function markLayout() {
            document.body.dataset.viewport = matchMedia('(max-width: 700px)').matches ? 'narrow' : 'wide';
            document.body.dataset.fits = String(document.documentElement.scrollWidth <= document.documentElement.clientWidth);
        }

        function route() {
            const hash = location.hash.slice(1) || '/';
            const [, kind, raw] = hash.split('/');
            const id = raw ? decodeURIComponent(raw) : '';
            const page = kind === 'connector' ? f => connectorPage(id, f) : kind === 'site' ? f => sitePage(id, f) : f => fleetPage(f);
            page(true).then(() => poll(page)).catch(showError);
        }
        window.addEventListener('hashchange', route);
        route();
        """#
}
